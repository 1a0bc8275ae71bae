package io.raftx.volatiles;

/**
 * The fate of a volatile write the leader accepted ({@link Admission#accepted()}), reported once.
 *
 * @param index the op's index (its position; {@code epoch} is the leader's)
 */
public record WriteOutcome(long requestId, Status status, long index, long epoch) {

    public enum Status {
        /** A majority of voters holds the op and the leader applied it: it survives every failure the guarantees cover. */
        COMMITTED,
        /**
         * A conditional op ({@link VolatileOp#ifVersion()}) committed at {@code index} but its condition did not hold
         * there, so it changed nothing. Definite, like COMMITTED.
         */
        CONDITION_FAILED,
        /**
         * This node stopped leading before the op committed. Outcome unknown: a later leader may still commit it
         * (it was sent to followers) or drop it.
         */
        UNKNOWN_LEADERSHIP_LOST,
        /** Not committed within the write timeout (typically no majority reachable). Outcome unknown, as above. */
        UNKNOWN_TIMED_OUT;

        public boolean isDefinite() {
            return this == COMMITTED || this == CONDITION_FAILED;
        }
    }
}
