package io.raftx.volatiles;

/** What the leader of one epoch knows about one other voter. */
final class FollowerProgress {

    static final long NEVER = Long.MIN_VALUE / 4;

    final String id;

    /** Answered in this epoch (so it promised it); the reported history and the start it came from follow. */
    boolean reported;
    long incarnation;
    long historyEpoch;
    long lastIndex;
    long commit;
    /** Its last transfer did not fit: the next SYNC is a snapshot. */
    boolean needsSnapshot;

    /** Holds this epoch's history (a prefix of the leader's); then {@code match} and {@code next} are meaningful. */
    boolean synced;
    long match;
    long next;
    long matchAtLastHeartbeat;

    long syncSentAt = NEVER;
    long lastHeard = NEVER;
    long readRoundAcked;

    FollowerProgress(String id) {
        this.id = id;
    }

    /**
     * Records its latest answer. Returns true if it came from another start of the node than the previous one:
     * whatever we knew of its history is void.
     */
    boolean report(long incarnation, long historyEpoch, long lastIndex, long commit) {
        boolean restarted = reported && incarnation != this.incarnation;
        this.incarnation = incarnation;
        this.reported = true;
        this.historyEpoch = historyEpoch;
        this.lastIndex = lastIndex;
        this.commit = commit;
        if (restarted) {
            unsynced();
            syncSentAt = NEVER;
        }
        return restarted;
    }

    /** It answered as holding this epoch's history up to {@code lastIndex}. */
    void syncedUpTo(long lastIndex) {
        if (!synced) {
            synced = true;
            match = lastIndex;
            next = lastIndex + 1;
            needsSnapshot = false;
        } else {
            match = Math.max(match, lastIndex);
        }
        next = Math.max(next, match + 1);
    }

    /** It does not (or no longer) hold this epoch's history: it needs a SYNC. */
    void unsynced() {
        synced = false;
        match = 0;
        matchAtLastHeartbeat = 0;
    }

    @Override
    public String toString() {
        return id + (synced ? "{synced match=" + match + " next=" + next + "}"
                : "{" + (reported ? "at " + lastIndex + "@e" + historyEpoch : "silent") + "}");
    }
}
