package io.raftx.node;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The ticks the loop has given the core, against the monotonic clock. The core counts time only in ticks, and a
 * leader's read lease is a tick count; it is right only while the core has been given every tick that is due. A
 * process pause (SIGSTOP, a long GC, a starved machine) stops the ticker thread too: when the process resumes, a read
 * that arrived meanwhile can reach the loop before the missed ticks do, and the core would still count a lease that
 * ran out during the pause while the followers, whose ticks went on, may have elected another leader. The loop
 * therefore uses a lease only while this clock is {@link #current()}.
 *
 * <p>Ticks are scheduled at a fixed rate from {@link #started}: the k-th is due {@code k} tick lengths later. Not
 * thread-safe beyond that: {@link #ticked} and {@link #current} run on the loop thread.
 */
final class TickClock {

    /** A tick may run this late (in quarters of a tick) before the core's clock counts as behind. */
    private static final int ALLOWED_LATENESS_QUARTERS = 1;

    private final long tickNanos;
    private final LongSupplier nanoTime;
    private volatile long origin;
    private volatile boolean started;
    private long ticks;

    TickClock(Duration tick, LongSupplier nanoTime) {
        this.tickNanos = tick.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The ticker starts now; call just before scheduling it (a later schedule only makes the clock look behind). */
    void started() {
        origin = nanoTime.getAsLong();
        started = true;
    }

    /**
     * Loop thread: the core is given one more tick, which the ticker thread queued at {@code queuedAt}
     * ({@code System.nanoTime()}). Returns false if the ticker queued it more than a whole tick after it was due: the
     * whole process was paused (a GC pause, a starved machine), so the peers' messages that arrived meanwhile may be
     * queued behind it, and the core is told ({@code Raft#tickLate}). A stall of the loop alone does not count: the
     * ticker and the network threads went on queueing, in order.
     */
    boolean ticked(long queuedAt) {
        ticks++;
        return sinceLastTickDue(queuedAt) <= tickNanos;
    }

    /**
     * Loop thread: true if the core has been given every tick due more than a quarter of a tick ago. False before
     * the ticker started, and after a pause until the missed ticks have run.
     */
    boolean current() {
        if (!started) {
            return false;
        }
        return sinceLastTickDue(nanoTime.getAsLong()) * 4 < (4L + ALLOWED_LATENESS_QUARTERS) * tickNanos;
    }

    /** How long after the last tick given to the core was due {@code at} is. */
    private long sinceLastTickDue(long at) {
        return at - origin - ticks * tickNanos;
    }
}
