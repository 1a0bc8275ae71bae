package io.raftx.raft;

/**
 * The immediate answer to {@link Raft#propose}: either the entry was appended at {@code index} (its outcome follows
 * later in a {@link Ready}), or it was refused and definitely not applied.
 */
public record ProposeResult(Refusal refusal, long index, long term, String leaderHint) {

    public enum Refusal {
        /** This node is not the leader; {@code leaderHint} names the leader if known, so the runtime can forward. */
        NOT_LEADER,
        /** The leader has too many uncommitted entries (back-pressure); retry later. */
        DROPPED,
        /** The leader is handing leadership over; retry on the new leader. */
        TRANSFERRING,
        /** Another membership change is not committed yet (or this leader has not committed in its term). */
        CONFIG_CHANGE_IN_PROGRESS
    }

    public static ProposeResult appended(long index, long term) {
        return new ProposeResult(null, index, term, null);
    }

    public static ProposeResult refused(Refusal refusal, String leaderHint) {
        return new ProposeResult(refusal, 0, 0, leaderHint);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
