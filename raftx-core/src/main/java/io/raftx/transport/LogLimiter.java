package io.raftx.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated log line through at most once per interval per key, so a flapping peer or a misconfigured client
 * cannot flood the log. Suppressed occurrences are counted and reported with the next line that passes.
 */
final class LogLimiter {

    /** Lets nothing through: the lines go to debug (a throwaway transport's, {@link TransportWarmUp}). */
    static final LogLimiter SILENT = new LogLimiter(-1);

    private final long intervalNanos;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    LogLimiter(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Returns -1 if the line should be suppressed, otherwise the number of suppressed occurrences since last time. */
    long tryAcquire(String key) {
        if (intervalNanos < 0) {
            return -1;
        }
        if (slots.size() > 10_000) {
            slots.clear();
        }
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        long now = System.nanoTime();
        long last = slot.lastNanos.get();
        if ((last == 0 || now - last >= intervalNanos) && slot.lastNanos.compareAndSet(last, now == 0 ? 1 : now)) {
            return slot.suppressed.getAndSet(0);
        }
        slot.suppressed.incrementAndGet();
        return -1;
    }

    private static final class Slot {
        final AtomicLong lastNanos = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
