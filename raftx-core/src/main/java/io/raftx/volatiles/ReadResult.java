package io.raftx.volatiles;

/**
 * The answer to a strong read ({@link VolatileReplica#readStrong}). On {@code OK}, {@code value} (null = absent) is
 * the leader's applied state at {@code index}, which includes every write acknowledged before the read was asked.
 */
public record ReadResult(long requestId, Status status, String key, VolatileValue value, long index) {

    public enum Status {
        OK,
        /** This node stopped leading before a majority confirmed it: ask the new leader. */
        LEADERSHIP_LOST,
        /** No majority confirmed this leader within the timeout. */
        TIMED_OUT
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
