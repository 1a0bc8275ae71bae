package io.raftx.volatilenode;

import java.time.Duration;

/** Converts wall-clock durations into the node's logical ticks, the unit of volatile TTLs. */
public final class TickDurations {

    /** The longest TTL accepted: far beyond any use, and small enough for every tick arithmetic. */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);

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
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be at most " + MAX_TTL.toDays() + " days (use no TTL for"
                    + " keys that should not expire), got " + ttl.toDays() + " days");
        }
        return ticks(ttl, tick) + 1;
    }
}
