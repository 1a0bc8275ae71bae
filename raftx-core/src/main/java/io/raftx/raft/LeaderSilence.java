package io.raftx.raft;

/**
 * When a follower counts its leader as silent and reports it unreachable itself ({@code Election}): an adaptive
 * failure detector in ticks. A killed leader's connections close only once the kernel has torn the process down
 * (hundreds of milliseconds on a loaded machine) and a paused or cut-off one's never, but its messages stop at once.
 *
 * <p>The threshold is the longest gap between two messages of one leader seen in this window and the previous one
 * ({@link RaftConfig#silenceWindowTicks()}, 30 s by default), plus a heartbeat interval; at least
 * {@link RaftConfig#silentLeaderTicks()}, at most one tick short of the election timeout, and that until a whole
 * window has been seen (after a start or restart, when the JVM is at its slowest). Where messages arrive steadily a
 * leader that stops is found after two heartbeat intervals; where the leader or this follower stalls now and then
 * (GC pauses, a starved machine) the threshold rises above those stalls, so that they do not cost elections: nine
 * node processes on two cores with a fixed 4-tick threshold changed leader 26 times in five minutes of load without
 * a fault. Gaps are counted in this follower's on-time ticks: a pause of its own process is not the leader's silence
 * ({@link LeaderPromise#tick}); its loop's other stalls count, since ticks and messages queue for it in order.
 */
final class LeaderSilence {

    private final int floor;
    private final int ceiling;
    private final int margin;
    private final int windowTicks;
    private int ticksInWindow;
    private int longestInWindow;
    private int longestInPreviousWindow;
    /** Windows completed since this node started, counted up to 2 ({@link #young}). */
    private int windowsSeen;
    /** The term of the last message from a leader: only gaps within one leader's term are measured. */
    private long heardInTerm = -1;
    /** The leader has counted as silent since we last heard from it (reported once). */
    private boolean silent;

    LeaderSilence(RaftConfig config) {
        this.floor = config.silentLeaderTicks();
        this.ceiling = config.electionTicks() - 1;
        this.margin = config.heartbeatTicks();
        this.windowTicks = config.silenceWindowTicks();
        this.longestInPreviousWindow = ceiling;
    }

    /** Off when {@link RaftConfig#silentLeaderTicks()} is 0. */
    boolean enabled() {
        return floor > 0;
    }

    /**
     * A tick, {@code sinceLeader} ticks after the last message from the leader. True once per silence: when it has
     * just become longer than the threshold.
     */
    boolean tick(int sinceLeader) {
        if (!enabled()) {
            return false;
        }
        passTime();
        if (silent || sinceLeader < thresholdTicks()) {
            return false;
        }
        silent = true;
        return true;
    }

    /**
     * A tick in any role. The windows measure time: what a node learnt before it led ages while it leads, as it would
     * have as a follower, instead of greeting the next leader with gaps a minute or more old (or, for the first
     * leader after a start, with the starting ceiling: back-to-back failovers then waited for it).
     */
    void passTime() {
        if (++ticksInWindow >= windowTicks) {
            windowsSeen = Math.min(2, windowsSeen + 1);
            longestInPreviousWindow = longestInWindow;
            longestInWindow = 0;
            ticksInWindow = 0;
        }
    }

    /** A message from the leader of {@code term}, {@code sinceLeader} ticks after the previous one from a leader. */
    void heard(long term, int sinceLeader) {
        if (term == heardInTerm) { // a gap within one leader's term, not an election's
            longestInWindow = Math.max(longestInWindow, sinceLeader);
        }
        heardInTerm = term;
        silent = false;
    }

    /**
     * Whether the threshold is still the start's guess: until a window has passed that began after this node's
     * start, the previous window is the starting ceiling or holds the node's own start-up (a just-started JVM stalls
     * on compiling and catching up), not the leader as a warm node sees it.
     */
    boolean young() {
        return windowsSeen < 2;
    }

    /** Ticks without a message from the leader after which it counts as silent. */
    int thresholdTicks() {
        int longest = Math.max(longestInWindow, longestInPreviousWindow);
        return Math.max(floor, Math.min(ceiling, longest + margin));
    }
}
