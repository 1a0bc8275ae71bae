package io.raftx.spring.event;

import io.raftx.raft.Role;
import org.jspecify.annotations.Nullable;

/** This node's Raft role changed (follower, pre-candidate, candidate, leader, learner). */
public class RaftxRoleChangedEvent extends RaftxEvent {

    private final @Nullable Role previousRole;
    private final Role role;
    private final long term;

    public RaftxRoleChangedEvent(Object source, String nodeId, @Nullable Role previousRole, Role role, long term) {
        super(source, nodeId);
        this.previousRole = previousRole;
        this.role = role;
        this.term = term;
    }

    /** The role before; null for the first status after start-up. */
    public @Nullable Role getPreviousRole() {
        return previousRole;
    }

    public Role getRole() {
        return role;
    }

    public long getTerm() {
        return term;
    }

    @Override
    public String toString() {
        return "RaftxRoleChangedEvent{node=" + getNodeId() + " " + previousRole + " -> " + role + " term=" + term + "}";
    }
}
