package io.raftx.volatiles;

import java.util.Objects;

/**
 * An operation at its global position: {@code index} counts every volatile op the cluster ever sequenced (1, 2, 3,
 * ... across epochs), {@code epoch} is the Raft term of the leader that sequenced it. The pair identifies the op:
 * only the leader of an epoch creates ops in it, and two histories holding the same (index, epoch) agree on every
 * op up to that index.
 */
public record SequencedOp(long index, long epoch, VolatileOp op) {

    public SequencedOp {
        Objects.requireNonNull(op, "op");
        if (index < 1 || epoch < 1) {
            throw new IllegalArgumentException("index and epoch start at 1, got " + index + "@" + epoch);
        }
    }

    @Override
    public String toString() {
        return index + "@" + epoch + " " + op;
    }
}
