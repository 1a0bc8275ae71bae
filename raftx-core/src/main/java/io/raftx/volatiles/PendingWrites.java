package io.raftx.volatiles;

import java.util.ArrayDeque;
import java.util.Set;

/** Writes the leader accepted and has not reported yet, in index order (deadlines are in the same order). */
final class PendingWrites {

    private record Pending(long requestId, long index, long deadline) {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final long epoch;

    PendingWrites(long epoch) {
        this.epoch = epoch;
    }

    void add(long requestId, long index, long deadline) {
        pending.addLast(new Pending(requestId, index, deadline));
    }

    int size() {
        return pending.size();
    }

    /**
     * Reports every write at or below {@code committed} (already applied on this leader) as committed, or as
     * CONDITION_FAILED for those in {@code conditionFailed}.
     */
    void committedUpTo(long committed, Set<Long> conditionFailed, VolatileOutput out) {
        while (!pending.isEmpty() && pending.peekFirst().index() <= committed) {
            Pending p = pending.pollFirst();
            WriteOutcome.Status status = conditionFailed.contains(p.index()) ? WriteOutcome.Status.CONDITION_FAILED
                    : WriteOutcome.Status.COMMITTED;
            out.writeOutcome(new WriteOutcome(p.requestId(), status, p.index(), epoch));
        }
    }

    void expire(long now, VolatileOutput out) {
        while (!pending.isEmpty() && pending.peekFirst().deadline() <= now) {
            Pending p = pending.pollFirst();
            out.writeOutcome(new WriteOutcome(p.requestId(), WriteOutcome.Status.UNKNOWN_TIMED_OUT, p.index(), epoch));
        }
    }

    void leadershipLost(VolatileOutput out) {
        for (Pending p : pending) {
            out.writeOutcome(new WriteOutcome(p.requestId(), WriteOutcome.Status.UNKNOWN_LEADERSHIP_LOST, p.index(), epoch));
        }
        pending.clear();
    }
}
