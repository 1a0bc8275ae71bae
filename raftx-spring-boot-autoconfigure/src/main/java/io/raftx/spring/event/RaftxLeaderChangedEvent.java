package io.raftx.spring.event;

import org.jspecify.annotations.Nullable;

/** The Raft leader this node knows of changed: a new leader was elected, or the old one was lost (leader null). */
public class RaftxLeaderChangedEvent extends RaftxEvent {

    private final @Nullable String previousLeaderId;
    private final @Nullable String leaderId;
    private final long term;

    public RaftxLeaderChangedEvent(Object source, String nodeId, @Nullable String previousLeaderId,
                                   @Nullable String leaderId, long term) {
        super(source, nodeId);
        this.previousLeaderId = previousLeaderId;
        this.leaderId = leaderId;
        this.term = term;
    }

    public @Nullable String getPreviousLeaderId() {
        return previousLeaderId;
    }

    /** The leader now, or null while an election runs. */
    public @Nullable String getLeaderId() {
        return leaderId;
    }

    public long getTerm() {
        return term;
    }

    /** True if this node is the new leader. */
    public boolean isLocalNodeLeader() {
        return getNodeId().equals(leaderId);
    }

    @Override
    public String toString() {
        return "RaftxLeaderChangedEvent{node=" + getNodeId() + " leader " + previousLeaderId + " -> " + leaderId
                + " term=" + term + "}";
    }
}
