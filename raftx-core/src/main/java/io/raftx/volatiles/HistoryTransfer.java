package io.raftx.volatiles;

import java.util.List;

/**
 * A piece of history sent from one node to another: the ops that follow the anchor position
 * ({@code anchorIndex}, {@code anchorEpoch}), optionally preceded by a snapshot that ends exactly at the anchor.
 * Without a snapshot the receiver must already hold the anchor op (same index and epoch) to accept the ops.
 */
public record HistoryTransfer(long anchorIndex, long anchorEpoch, VolatileSnapshot snapshot, List<SequencedOp> ops) {

    public HistoryTransfer {
        ops = List.copyOf(ops);
    }

    static HistoryTransfer diff(long anchorIndex, long anchorEpoch, List<SequencedOp> ops) {
        return new HistoryTransfer(anchorIndex, anchorEpoch, null, ops);
    }

    static HistoryTransfer withSnapshot(VolatileSnapshot snapshot, List<SequencedOp> ops) {
        return new HistoryTransfer(snapshot.index(), snapshot.epoch(), snapshot, ops);
    }

    /** Index of the last op this transfer brings (the anchor if it brings none). */
    public long lastIndex() {
        return ops.isEmpty() ? anchorIndex : ops.get(ops.size() - 1).index();
    }

    /**
     * Ops follow the anchor contiguously, epochs never decrease along the history nor exceed {@code maxEpoch}, and a
     * snapshot sits exactly at the anchor. Anything else is refused without touching state.
     */
    boolean isWellFormed(long maxEpoch) {
        if (anchorIndex < 0 || anchorEpoch < 0 || anchorEpoch > maxEpoch) {
            return false;
        }
        if (snapshot != null && (snapshot.index() != anchorIndex || snapshot.epoch() != anchorEpoch)) {
            return false;
        }
        long expected = anchorIndex + 1;
        long epoch = anchorEpoch;
        for (SequencedOp op : ops) {
            if (op.index() != expected++ || op.epoch() < epoch || op.epoch() > maxEpoch) {
                return false;
            }
            epoch = op.epoch();
        }
        return true;
    }

    @Override
    public String toString() {
        return (snapshot != null ? "snapshot " : "after ") + anchorIndex + "@" + anchorEpoch + " +" + ops.size() + " ops";
    }
}
