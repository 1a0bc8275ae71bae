package io.raftx.volatiles;

/**
 * The immediate answer to a volatile write or strong read: accepted (its {@link WriteOutcome} or {@link ReadResult}
 * follows in a later {@link VolatileReady}) or refused — refused requests were definitely not applied.
 *
 * @param index for an accepted write, the index the op was given
 * @param epoch the epoch the request was accepted in
 * @param leaderHint the Raft leader this node knows of (for forwarding), or null
 */
public record Admission(Refusal refusal, long index, long epoch, String leaderHint) {

    public enum Refusal {
        /** This node does not lead the volatile keyspace; {@code leaderHint} names the Raft leader if known. */
        NOT_LEADER("this node is not the leader"),
        /**
         * This node leads but has not finished recovery: it is still collecting the histories of a majority of
         * voters that hold volatile memory, fetching the best one, or syncing a majority. A leader stays here while
         * no such majority is reachable.
         */
        RECOVERING("the volatile leader is still recovering and cannot reach a majority of voters holding volatile memory"),
        /** The leader has not heard from a majority of synced voters recently; a write could not commit. */
        NO_QUORUM("the volatile leader cannot reach a majority of voters"),
        /** Too many writes are waiting to commit (back-pressure). */
        TOO_MANY_PENDING("too many volatile writes are waiting to commit");

        private final String description;

        Refusal(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    static Admission accepted(long index, long epoch, String leader) {
        return new Admission(null, index, epoch, leader);
    }

    static Admission refused(Refusal refusal, long epoch, String leaderHint) {
        return new Admission(refusal, 0, epoch, leaderHint);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
