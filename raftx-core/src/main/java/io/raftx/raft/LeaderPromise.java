package io.raftx.raft;

/**
 * What a follower owes its leader: after hearing from it, a promise not to help elect another for a while
 * (CheckQuorum's lease, which the leader's read lease stands on), and what shortens that promise.
 *
 * <p>The promise normally lasts an election timeout. When the leader is reported unreachable, by the runtime (its
 * connection refused or reset) or by our own count of its silence ({@link LeaderSilence}), it shortens: to a leader
 * that serves lease reads it lasts {@link RaftConfig#unreachableLeaderTicks()} after last hearing from it (and that
 * leader's lease is bounded by it, {@link Raft#leaseValid()}); to a leader whose messages say it serves none
 * ({@link Message#noLease()}, the default) only until its next heartbeat is due
 * ({@link RaftConfig#unreachableLeaderWithoutLeaseTicks()}), and not at all once a new connection to it was refused
 * ({@link #reportDown}: nothing listens there any more). {@link Election} starts its early pre-vote by as much sooner.
 *
 * <p>A pre-vote that arrives while the promise stands is held, not dropped, and answered as soon as it ends.
 */
final class LeaderPromise {

    private final RaftConfig config;
    private final LeaderSilence silence;
    /** Ticks since we last heard from a leader. */
    private int sinceLeader;
    /** Of those, the ones that came on time: what the leader's silence is counted in. */
    private int sinceLeaderOnTime;
    /** Our leader was reported unreachable since we last heard from it: keep the shorter promise. */
    private boolean reported;
    /** The report came from the transport, not from our own count of the leader's silence. */
    private boolean reportedByTransport;
    /** Further, nothing listens at our leader's address any more. */
    private boolean down;
    /** Our leader's last message said it serves no lease reads: a report shortens the promise to a heartbeat. */
    private boolean leaderWithoutLease;
    /** The latest pre-vote ignored while keeping this promise: answered as soon as it ends. */
    private Message heldPreVote;

    LeaderPromise(RaftConfig config) {
        this.config = config;
        this.silence = new LeaderSilence(config);
    }

    /** A message from our leader of {@code term}: the full promise again. */
    void renew(long term, boolean noLease) {
        silence.heard(term, sinceLeaderOnTime);
        sinceLeader = 0;
        sinceLeaderOnTime = 0;
        leaderWithoutLease = noLease;
        heldPreVote = null; // the leader lives: that candidate will hear of it
        clearReports();
    }

    /** We stop following (we campaign): the reports are spent. */
    void clearReports() {
        reported = false;
        reportedByTransport = false;
        down = false;
    }

    /**
     * A tick. True once per silence: when the leader has just become silent for longer than the threshold. A late
     * tick ({@link Raft#tickLate()}) counts towards the promise, which is about time, but not as silence: after a
     * pause of this process (a GC pause, a starved machine) the missed ticks come in a burst ahead of the leader's
     * messages that arrived meanwhile, and would fake a silence as long as the pause. Counted, such pauses of our own
     * also set the threshold; on nine node processes on two cores they kept it at its ceiling.
     */
    boolean tick(boolean onTime) {
        sinceLeader++;
        if (onTime) {
            sinceLeaderOnTime++;
        }
        return silence.tick(sinceLeaderOnTime);
    }

    /** A tick while this node leads: no promise to keep, but the silence windows measure time. */
    void tickWhileLeading() {
        silence.passTime();
    }

    /** Whether the promise still stands (ticks since the leader's last message are within it). */
    boolean stands() {
        return sinceLeader < ticks();
    }

    /** How long after last hearing from our leader we refuse to help elect another. */
    int ticks() {
        if (!reported) {
            return config.electionTicks();
        }
        if (!leaderWithoutLease) {
            return config.unreachableLeaderTicks(); // the leader's lease stands on it, whatever the report says
        }
        return down ? 0 : config.unreachableLeaderWithoutLeaseTicks();
    }

    /** Reports the leader unreachable; returns whether this is the first report since we heard from it. */
    boolean report(boolean byTransport) {
        boolean first = !reported;
        reported = true;
        reportedByTransport |= byTransport;
        return first;
    }

    /**
     * After a transport's report, a new connection to the leader's address was refused: no process listens there, so
     * the leader is gone rather than a connection broken under a live one. To a leader without lease reads the promise
     * then ends at once (it only kept a flapping connection from costing an election); to a leasing leader it lasts
     * as after any report, since the lease stands on it.
     */
    void reportDown() {
        down = reported;
    }

    boolean reported() {
        return reported;
    }

    boolean reportedByTransport() {
        return reportedByTransport;
    }

    /**
     * A pre-vote that arrived while the promise stands. It is not answered now (CheckQuorum), but as soon as the
     * promise ends: a voter told of the dead leader a moment after the candidate would otherwise leave it waiting for
     * the candidate's next re-ask. Answering it late is what a slow network does.
     */
    void holdPreVote(Message m) {
        heldPreVote = m;
    }

    /**
     * Whether a pre-vote asked of this follower now is reason enough to report the leader silent: this node is young
     * (its threshold stands at the start's guess, {@link LeaderSilence#young}), it has heard nothing from the leader
     * for the shortest threshold, and the candidate, which has a threshold of its own, found the leader silent too.
     * Without this a follower restarted in the last minute held every pre-vote until its ceiling, one tick short of
     * the election timeout, and at five nodes two such followers set the failover time. A wrong report costs what
     * any wrong report costs (an early pre-vote), and to a leasing leader the promise lasts as after any report.
     */
    boolean takesTheCandidatesWord() {
        return silence.enabled() && silence.young() && !reported && sinceLeaderOnTime >= config.silentLeaderTicks();
    }

    /** The held pre-vote, forgotten here, or null if none is held. */
    Message takeHeldPreVote() {
        Message m = heldPreVote;
        heldPreVote = null;
        return m;
    }

    /** Ticks without a message after which our leader counts as silent (0 when off). */
    int silenceThresholdTicks() {
        return silence.enabled() ? silence.thresholdTicks() : 0;
    }
}
