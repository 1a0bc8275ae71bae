package io.raftx.volatiles;

import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Strong reads waiting at the leader (read-index style, batched): a read asked while round r is the latest started
 * waits for round r + 1; a round is started by a heartbeat to every voter and confirmed once a majority of voters
 * answered it in this epoch. Confirmation proves no newer leader had taken over when the read arrived, and the
 * leader's commit index then already covered every acknowledged write — so the state it serves from is recent
 * enough.
 */
final class StrongReads {

    private record Pending(long requestId, String key, long round, long deadline) {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long startedRound;
    private long neededRound;

    void add(long requestId, String key, long deadline) {
        neededRound = startedRound + 1;
        pending.addLast(new Pending(requestId, key, neededRound, deadline));
    }

    boolean needsRound() {
        return neededRound > startedRound;
    }

    long startRound() {
        return ++startedRound;
    }

    long startedRound() {
        return startedRound;
    }

    /** Serves every read whose round is confirmed, from the leader's applied state at {@code index}. */
    void serve(long confirmedRound, Function<String, VolatileValue> state, long index, VolatileOutput out) {
        while (!pending.isEmpty() && pending.peekFirst().round() <= confirmedRound) {
            Pending p = pending.pollFirst();
            out.readResult(new ReadResult(p.requestId(), ReadResult.Status.OK, p.key(), state.apply(p.key()), index));
        }
    }

    void expire(long now, VolatileOutput out) {
        while (!pending.isEmpty() && pending.peekFirst().deadline() <= now) {
            fail(pending.pollFirst(), ReadResult.Status.TIMED_OUT, out);
        }
    }

    void leadershipLost(VolatileOutput out) {
        pending.forEach(p -> fail(p, ReadResult.Status.LEADERSHIP_LOST, out));
        pending.clear();
    }

    private static void fail(Pending p, ReadResult.Status status, VolatileOutput out) {
        out.readResult(new ReadResult(p.requestId(), status, p.key(), null, 0));
    }
}
