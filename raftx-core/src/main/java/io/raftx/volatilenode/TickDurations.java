package io.raftx.volatilenode;

import java.time.Duration;

/** Converts wall-clock durations into the node's logical ticks, the unit of volatile TTLs. */
public final class TickDurations {

    private TickDurations() {
    }

    /** Whole ticks covering {@code d} (rounded up). */
    public static long ticks(Duration d, Duration tick) {
        long t = tick.toNanos();
        return (d.toNanos() + t - 1) / t;
    }

    /**
     * The TTL in ticks for a wall-clock {@code ttl}: rounded up, plus one. The node's ticker fires at a fixed rate
     * and never runs ahead of its schedule, so between the moment the leader applies a write and any later moment
     * t at most (t − applied) / tick + 1 ticks have passed: a TTL of ceil(ttl / tick) + 1 ticks therefore never
     * expires a key before {@code ttl} of wall-clock time has passed on the leader. Ticks may come late (a busy
     * loop, a GC pause), which only makes expiry later. {@code null} or zero means no TTL.
     */
    public static long ttlTicks(Duration ttl, Duration tick) {
        if (ttl == null || ttl.isZero()) {
            return 0;
        }
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
        }
        return ticks(ttl, tick) + 1;
    }
}
