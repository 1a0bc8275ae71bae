package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class NodeNotInMembersFailureAnalyzer extends AbstractFailureAnalyzer<NodeNotInMembersException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeNotInMembersException cause) {
        String id = cause.getNodeId();
        return new FailureAnalysis(
                "RaftX cannot start: raftx.node-id is '" + id + "' but raftx.members lists only "
                        + cause.getMembers().keySet() + ".",
                "If this node is one of the initial members, add it: 'raftx.members." + id + "=host:port' on every"
                        + " node. If the id is misspelled, correct raftx.node-id. If the node is meant to join a"
                        + " running cluster later, set 'raftx.joining=true'.",
                cause);
    }
}
