package io.raftx.volatiles;

/**
 * One step of a node's applied history, in order: either the op at ({@code index}, {@code epoch}) was applied, or
 * (op null) an in-memory snapshot ending at ({@code index}, {@code epoch}) replaced the keyspace. After a snapshot
 * the next applied op has index {@code index + 1}.
 */
public record AppliedChange(long index, long epoch, VolatileOp op) {

    static AppliedChange applied(SequencedOp op) {
        return new AppliedChange(op.index(), op.epoch(), op.op());
    }

    static AppliedChange snapshotInstalled(long index, long epoch) {
        return new AppliedChange(index, epoch, null);
    }

    public boolean isSnapshot() {
        return op == null;
    }
}
