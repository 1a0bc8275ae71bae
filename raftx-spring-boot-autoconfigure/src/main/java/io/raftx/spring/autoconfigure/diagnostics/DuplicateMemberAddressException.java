package io.raftx.spring.autoconfigure.diagnostics;

import java.util.List;

/** Two members of {@code raftx.members} share one peer address. */
public class DuplicateMemberAddressException extends RuntimeException {

    private final String address;
    private final List<String> nodeIds;

    public DuplicateMemberAddressException(String address, List<String> nodeIds) {
        super("Members " + nodeIds + " share the peer address " + address);
        this.address = address;
        this.nodeIds = List.copyOf(nodeIds);
    }

    public String getAddress() {
        return address;
    }

    public List<String> getNodeIds() {
        return nodeIds;
    }
}
