package io.raftx.spring.actuate.metrics;

import io.raftx.node.RaftNode;
import io.raftx.snapshot.SnapshotStats;
import java.util.concurrent.TimeUnit;

/**
 * The node's snapshot counters, read through its event loop at most once a second: a scrape reads several meters,
 * and each read would otherwise queue a task on the loop.
 */
final class SnapshotStatsCache {

    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long READ_TIMEOUT_MILLIS = 500;

    private final RaftNode node;
    private SnapshotStats stats;
    private long readAt;

    SnapshotStatsCache(RaftNode node) {
        this.node = node;
    }

    /** The latest counters, or null if none could be read yet (node not running). */
    synchronized SnapshotStats current() {
        long now = System.nanoTime();
        if (stats == null || now - readAt > MAX_AGE_NANOS) {
            try {
                stats = node.snapshotStats().get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                readAt = now;
            } catch (Exception e) {
                // Not running, or busy: keep the last values rather than failing the scrape.
            }
        }
        return stats;
    }
}
