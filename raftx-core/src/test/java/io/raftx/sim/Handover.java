package io.raftx.sim;

import io.raftx.raft.Raft;
import java.util.Comparator;

/**
 * The runtime's rule for removing the leader (MembershipCommands): the leader first hands leadership to its most
 * caught-up other voter, and the new leader then removes it.
 */
final class Handover {

    private Handover() {
    }

    /** The other voter with the smallest known lag (ties by id), or null if none is known to be caught up. */
    static String successor(Raft leader) {
        return leader.voters().stream().filter(v -> !v.equals(leader.id()) && leader.followerLag(v) >= 0)
                .min(Comparator.comparingLong(leader::followerLag).thenComparing(v -> v)).orElse(null);
    }

    /** Starts the hand-over unless one is under way or no successor is known. Returns true if it started one. */
    static boolean start(SimCluster cluster, SimNode leader) {
        Raft r = leader.raft();
        String successor = successor(r);
        if (successor == null || r.transferTarget() != null) {
            return false;
        }
        cluster.trace("transfer", leader.id() + "->" + successor + " before removing " + leader.id());
        cluster.stats().transfers++;
        r.transferLeadership(successor);
        leader.processReadies();
        return true;
    }
}
