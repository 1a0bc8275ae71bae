package io.raftx.volatiles;

import java.util.HashSet;
import java.util.Set;

/**
 * One node's volatile history: the ops it holds (in the {@link OpRing}), how far they are committed, and the
 * keyspace they built ({@link VolatileStore}) with its TTL deadlines. Committed ops are applied at once, so the
 * commit index is also the applied index. Everything is memory only.
 *
 * <p>Histories obey the matching rule: two histories holding the same op (same index and epoch) hold the same ops
 * up to it. So a transfer anchored at an op the receiver holds can simply be appended after it.
 */
final class VolatileHistory {

    private final OpRing ring;
    private final VolatileStore store = new VolatileStore();
    private final TtlTracker ttl = new TtlTracker();
    private long committed;
    private long rollbacks;

    VolatileHistory(int ringCapacity) {
        this.ring = new OpRing(ringCapacity);
    }

    long lastIndex() {
        return ring.lastIndex();
    }

    long committed() {
        return committed;
    }

    /** Epoch of the op at {@code index} if this node still knows it (0 for index 0), else -1. */
    long epochAt(long index) {
        return index == 0 ? 0 : ring.epochAt(index);
    }

    /** Oldest index the ring can still replay from (ops before it are only in the snapshot). */
    long firstRetainedIndex() {
        return ring.firstIndex();
    }

    VolatileStore store() {
        return store;
    }

    TtlTracker ttl() {
        return ttl;
    }

    /** Times this node had to roll committed state back to a snapshot: only after a majority lost its memory. */
    long rollbacks() {
        return rollbacks;
    }

    void append(SequencedOp op) {
        ring.append(op);
    }

    /**
     * Applies every op up to {@code index} (capped at the last held) in order, emitting their events. Returns the
     * indexes of the conditional client ops among them whose condition did not hold (usually none).
     */
    Set<Long> commitTo(long index, VolatileOutput out) {
        long upTo = Math.min(index, lastIndex());
        Set<Long> conditionFailed = Set.of();
        while (committed < upTo) {
            SequencedOp op = ring.get(committed + 1);
            VolatileEvent event = store.apply(op);
            if (event != null) {
                trackTtl(op);
                out.event(event);
            } else if (op.op().isConditional()) {
                if (conditionFailed.isEmpty()) {
                    conditionFailed = new HashSet<>();
                }
                conditionFailed.add(op.index());
            }
            committed = op.index();
            out.applied(AppliedChange.applied(op));
        }
        ring.evictApplied(committed);
        return conditionFailed;
    }

    private void trackTtl(SequencedOp sequenced) {
        VolatileOp op = sequenced.op();
        switch (op.type()) {
            case PUT -> {
                if (op.ttlTicks() > 0) {
                    ttl.start(op.key(), null, sequenced.index(), op.ttlTicks());
                } else {
                    ttl.cancel(op.key(), null);
                }
            }
            case DELETE -> ttl.cancel(op.key(), null);
            case ADD_TO_SET -> {
                ttl.cancel(op.key(), null);
                if (op.ttlTicks() > 0) {
                    ttl.start(op.key(), op.member(), sequenced.index(), op.ttlTicks());
                } else {
                    ttl.cancel(op.key(), op.member());
                }
            }
            case REMOVE_FROM_SET -> ttl.cancel(op.key(), op.member());
        }
    }

    /** The applied keyspace with its position and remaining TTLs. */
    VolatileSnapshot snapshot() {
        return new VolatileSnapshot(committed, epochAt(committed), store.copy(), ttl.remaining(store));
    }

    /**
     * Everything after {@code anchorIndex} for a node that holds the anchor op with {@code expectedEpoch} (-1: not
     * known, the receiver checks): the ops from the ring if it still has them, else a snapshot and the ops after it.
     */
    HistoryTransfer transferAfter(long anchorIndex, long expectedEpoch) {
        long mine = replayableAfter(anchorIndex) ? epochAt(anchorIndex) : -1;
        if (mine >= 0 && (expectedEpoch < 0 || expectedEpoch == mine)) {
            return HistoryTransfer.diff(anchorIndex, mine, ring.slice(anchorIndex + 1, lastIndex()));
        }
        return snapshotTransfer();
    }

    /** True if the ring still holds every op after {@code anchorIndex} (and knows the anchor's epoch). */
    private boolean replayableAfter(long anchorIndex) {
        return anchorIndex >= ring.firstIndex() - 1 && anchorIndex <= lastIndex();
    }

    HistoryTransfer snapshotTransfer() {
        return HistoryTransfer.withSnapshot(snapshot(), ring.slice(committed + 1, lastIndex()));
    }

    /** Up to {@code max} ops after {@code anchorIndex}, or null if the ring no longer holds the anchor. */
    HistoryTransfer opsAfter(long anchorIndex, int max) {
        if (!replayableAfter(anchorIndex)) {
            return null;
        }
        long anchorEpoch = epochAt(anchorIndex);
        long to = Math.min(lastIndex(), anchorIndex + max);
        return HistoryTransfer.diff(anchorIndex, anchorEpoch, ring.slice(anchorIndex + 1, to));
    }

    /**
     * Takes a transfer into this history. With {@code wholeHistory} the transfer is the sender's entire history
     * (SYNC, FETCH_RESPONSE): ops beyond its end are dropped. Otherwise (APPEND) it only extends ours. Committed
     * ops are never dropped, except when a snapshot contradicts them (possible only after a majority lost its
     * memory; counted in {@link #rollbacks()}). Returns false, changing nothing, if the transfer does not fit.
     */
    boolean receive(HistoryTransfer t, boolean wholeHistory, VolatileOutput out) {
        if (t.snapshot() != null && mustInstall(t, wholeHistory)) {
            install(t.snapshot(), out);
        } else {
            long mine = epochAt(t.anchorIndex());
            if (t.anchorIndex() > lastIndex() || (mine >= 0 && mine != t.anchorEpoch())) {
                return false;
            }
            // mine == -1: the anchor is an evicted applied op, inside the committed prefix both sides agree on.
            if (wholeHistory && t.lastIndex() < committed) {
                return false;
            }
        }
        for (SequencedOp op : t.ops()) {
            if (op.index() <= committed) {
                continue;
            }
            if (op.index() <= lastIndex()) {
                if (epochAt(op.index()) == op.epoch()) {
                    continue;
                }
                ring.truncateAfter(op.index() - 1); // a divergent uncommitted suffix of an older epoch
            }
            ring.append(op);
        }
        if (wholeHistory && lastIndex() > t.lastIndex()) {
            ring.truncateAfter(t.lastIndex());
        }
        return true;
    }

    private boolean mustInstall(HistoryTransfer t, boolean wholeHistory) {
        VolatileSnapshot s = t.snapshot();
        if (s.index() > committed) {
            return true;
        }
        long mine = epochAt(s.index());
        return (mine >= 0 && mine != s.epoch()) || (wholeHistory && t.lastIndex() < committed);
    }

    private void install(VolatileSnapshot snapshot, VolatileOutput out) {
        if (snapshot.index() <= committed && committed > 0) {
            rollbacks++;
        }
        out.applied(AppliedChange.snapshotInstalled(snapshot.index(), snapshot.epoch()));
        for (VolatileEvent e : store.replaceAll(snapshot.entries(), snapshot.index(), snapshot.epoch())) {
            out.event(e);
        }
        ttl.restore(snapshot.ttls());
        committed = snapshot.index();
        ring.resetAfter(snapshot.index(), snapshot.epoch());
    }

    @Override
    public String toString() {
        return "history[" + ring.firstIndex() + ".." + lastIndex() + " committed=" + committed + "]";
    }
}
