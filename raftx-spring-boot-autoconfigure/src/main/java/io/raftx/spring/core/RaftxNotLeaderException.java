package io.raftx.spring.core;

/** The operation must run on the leader, and this node does not lead. */
public class RaftxNotLeaderException extends RaftxNotAppliedException {

    private final String leaderId;

    public RaftxNotLeaderException(String message, String leaderId) {
        super(message, null);
        this.leaderId = leaderId;
    }

    /** The leader this node knows of, or null during an election. */
    public String getLeaderId() {
        return leaderId;
    }
}
