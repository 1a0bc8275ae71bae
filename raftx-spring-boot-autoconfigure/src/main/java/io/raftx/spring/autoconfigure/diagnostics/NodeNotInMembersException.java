package io.raftx.spring.autoconfigure.diagnostics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** {@code raftx.members} is given but does not list this node, and the node was not declared as joining. */
public class NodeNotInMembersException extends RuntimeException {

    private final String nodeId;
    private final Map<String, String> members;

    public NodeNotInMembersException(String nodeId, Map<String, String> members) {
        super("Node '" + nodeId + "' is not one of raftx.members " + new TreeMap<>(members).keySet());
        this.nodeId = nodeId;
        this.members = Collections.unmodifiableMap(new TreeMap<>(members));
    }

    public String getNodeId() {
        return nodeId;
    }

    public Map<String, String> getMembers() {
        return members;
    }
}
