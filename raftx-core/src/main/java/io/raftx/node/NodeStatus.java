package io.raftx.node;

import io.raftx.raft.Membership;
import io.raftx.raft.Role;

/**
 * A snapshot of a node's consensus state, published by the event loop after every batch. {@code membership} is the
 * configuration in effect on this node (voters, learners and their addresses). {@code leaderSilenceThresholdMs} is how
 * long this node, as a follower, waits without a message from its leader before it counts the leader as silent and
 * the best-ranked follower starts an early election (0 when turned off): learnt from the gaps between the leader's
 * recent messages, so it shows how quickly a dead leader would be noticed here.
 */
public record NodeStatus(String nodeId, Role role, long term, String leaderId, long commitIndex, long appliedIndex,
                         long lastIndex, Membership membership, long leaderSilenceThresholdMs) {

    /** Whether this status names a leader that {@code before} (null at start) did not, or names it for a new term. */
    public boolean hasNewLeaderSince(NodeStatus before) {
        return leaderId != null
                && (before == null || !leaderId.equals(before.leaderId()) || before.term() != term);
    }

    /** Whether this node campaigns in a term it did not campaign in at {@code before} (null at start). */
    public boolean hasNewCampaignSince(NodeStatus before) {
        return role == Role.CANDIDATE && (before == null || before.role() != Role.CANDIDATE || before.term() != term);
    }
}
