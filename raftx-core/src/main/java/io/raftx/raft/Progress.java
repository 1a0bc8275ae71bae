package io.raftx.raft;

/**
 * What the leader knows about one follower's log. In {@link State#PROBE} the leader sends one append at a time
 * and waits, walking {@code next} back until the logs match; in {@link State#REPLICATE} it streams appends
 * optimistically, up to the inflight window.
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    private State state = State.PROBE;
    private long match;
    private long next;
    /** In PROBE: an append is out and we wait for its answer (or a heartbeat response) before sending another. */
    private boolean probeSent;
    /** Heard from since the last CheckQuorum round. */
    private boolean recentActive;
    /** Set by every acknowledgement, cleared by every heartbeat answer. */
    private boolean ackedSinceHeartbeat;
    /** The leader's tick of the last heartbeat answer that could resend anything. */
    private long heartbeatAnsweredAtTick = -1;
    /** In REPLICATE: the match after which everything was last sent again because an append was overtaken. */
    private long resentAfter = -1;
    /** In SNAPSHOT: the index of the snapshot being installed; we wait for its acknowledgement. */
    private long pendingSnapshot;
    private final Inflights inflights;

    Progress(long next, int maxInflight) {
        this.next = next;
        this.inflights = new Inflights(maxInflight);
    }

    State state() {
        return state;
    }

    long match() {
        return match;
    }

    long next() {
        return next;
    }

    boolean recentActive() {
        return recentActive;
    }

    void setRecentActive(boolean active) {
        recentActive = active;
    }

    Inflights inflights() {
        return inflights;
    }

    /** True when the leader must not send more appends right now. */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.isFull();
            case SNAPSHOT -> true;
        };
    }

    /** The follower needs entries we compacted: a snapshot is on its way; nothing else is sent meanwhile. */
    void snapshotSent(long snapshotIndex) {
        state = State.SNAPSHOT;
        pendingSnapshot = snapshotIndex;
        inflights.clear();
    }

    /**
     * The snapshot was delivered: probe right after it, paused until the follower answers (or a heartbeat
     * response unpauses us), like any probe.
     */
    void snapshotDelivered() {
        if (state == State.SNAPSHOT) {
            state = State.PROBE;
            next = Math.max(match + 1, pendingSnapshot + 1);
            probeSent = true;
        }
    }

    /** The runtime could not deliver the snapshot: probe again (which sends a fresh snapshot if still needed). */
    void snapshotFailed() {
        if (state == State.SNAPSHOT) {
            state = State.PROBE;
            probeSent = false;
        }
    }

    /**
     * A heartbeat answer, in the leader's tick {@code tick}. Returns true if the follower acknowledged no append since
     * the previous answer: appends that are out were then probably lost, and the leader should probe (with steady
     * acknowledgements it must not: that would add an empty append per heartbeat to the message budget).
     *
     * <p>Only the first answer in a tick may resend: a follower whose loop stalled (a restarted node replaying its
     * log for seconds) answers every heartbeat queued meanwhile in one burst, and each answer unpausing the probe or
     * freeing an inflight slot sent a full append again: at nine node processes a hundred identical 1,024-entry
     * probes, 64 MB, in one leader pass that took 923 ms and cost it its leadership.
     */
    boolean onHeartbeatResponse(long tick) {
        recentActive = true;
        if (tick == heartbeatAnsweredAtTick) {
            return false;
        }
        heartbeatAnsweredAtTick = tick;
        boolean stalled = !ackedSinceHeartbeat;
        ackedSinceHeartbeat = false;
        if (state == State.PROBE) {
            probeSent = false;
        }
        if (state == State.REPLICATE && inflights.isFull() && stalled) {
            inflights.freeOldest();
        }
        return stalled;
    }

    /**
     * The follower's log is known to end at {@code next - 1} in an entry we hold: stream from there without a probe
     * (its match stays unknown until it acknowledges).
     */
    void replicateFrom(long next) {
        state = State.REPLICATE;
        this.next = next;
        probeSent = false;
        inflights.clear();
    }

    /** Records that an append ending at {@code lastIndex} went out. */
    void sent(long lastIndex, boolean hasEntries) {
        if (state == State.REPLICATE) {
            if (hasEntries) {
                next = lastIndex + 1;
                inflights.add(lastIndex);
            }
        } else {
            probeSent = true;
        }
    }

    /** The follower matches us up to {@code index}. Returns true if this moved {@code match} forward. */
    boolean acknowledged(long index) {
        recentActive = true;
        ackedSinceHeartbeat = true;
        if (state == State.SNAPSHOT) {
            if (index < pendingSnapshot) {
                return false; // an answer to something sent before the snapshot
            }
            state = State.PROBE;
        }
        boolean moved = index > match;
        if (moved) {
            match = index;
            next = Math.max(next, index + 1);
        }
        if (state == State.PROBE && (moved || index == match)) {
            state = State.REPLICATE;
            next = match + 1;
            inflights.clear();
        } else {
            inflights.freeTo(index);
        }
        probeSent = false;
        return moved;
    }

    /**
     * The follower refused an append that followed {@code rejectedIndex}; restart probing at {@code newNext}.
     * Returns false for a stale refusal that says nothing new.
     */
    boolean rejected(long rejectedIndex, long newNext) {
        recentActive = true;
        if (state == State.SNAPSHOT) {
            return false;
        }
        if (state == State.REPLICATE && rejectedIndex <= match) {
            if (rejectedIndex == match && next > match + 1 && resentAfter != match) {
                // Refused only because it overtook the append before it (a network that reorders): what it carried
                // after match is not at the follower. Send it again now instead of after a heartbeat round finds the
                // window stalled (duplicates are harmless: the follower keeps entries it holds). Once per match,
                // so that a burst of such refusals does not resend the window over and over.
                resentAfter = match;
                next = match + 1;
                inflights.clear();
                return true;
            }
            return false;
        }
        if (state == State.PROBE && rejectedIndex != next - 1) {
            return false;
        }
        next = Math.max(match + 1, Math.min(newNext, rejectedIndex));
        state = State.PROBE;
        probeSent = false;
        inflights.clear();
        return true;
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + " inflight=" + inflights.count();
    }
}
