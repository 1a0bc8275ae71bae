package io.raftx.snapshot;

/**
 * When to snapshot, and how much log to keep. A snapshot is due once the log holds more than the threshold; after
 * compacting (keeping {@code retainEntries} behind the snapshot for followers that are only a little behind), the
 * next threshold is 1.5 × what is left, never below the configured one. Without that, a log that stays large after
 * compaction (the state machine lags the log, or the retention is big) would trigger a snapshot on every new entry:
 * a compaction storm.
 */
public final class SnapshotPolicy {

    private final long initialThreshold;
    private final long retainEntries;
    private long threshold;

    public SnapshotPolicy(long initialThreshold, long retainEntries) {
        if (initialThreshold < 1 || retainEntries < 0) {
            throw new IllegalArgumentException("snapshot threshold must be >= 1 and retention >= 0, got "
                    + initialThreshold + " and " + retainEntries);
        }
        this.initialThreshold = initialThreshold;
        this.retainEntries = retainEntries;
        this.threshold = initialThreshold;
    }

    /**
     * The configured threshold plus up to an eighth of it, by node id. The members of a cluster reach the same log
     * index together: with one threshold they all snapshot and compact at once, and for that second or so hardly any
     * follower answers the leader (in a nine-node failover run, all eight followers spent 130-940 ms on the loop for
     * their first snapshot within the same two seconds). Spread apart, each snapshot stalls one node at a time.
     */
    public static long staggered(long threshold, String nodeId) {
        long spread = threshold / 8;
        if (spread == 0) {
            return threshold;
        }
        long h = nodeId.hashCode() * 0x9E3779B97F4A7C15L; // Fibonacci hashing: ids n1, n2, ... land far apart
        return threshold + Math.floorMod(h >>> 32, spread);
    }

    public long threshold() {
        return threshold;
    }

    public boolean due(long logEntries) {
        return logEntries > threshold;
    }

    /** The index to compact the log to after a snapshot at {@code snapshotIndex}. */
    public long compactTo(long snapshotIndex) {
        return Math.max(0, snapshotIndex - retainEntries);
    }

    /** Records the log size left after compaction and moves the threshold accordingly. */
    public void compacted(long remainingEntries) {
        threshold = Math.max(initialThreshold, remainingEntries + remainingEntries / 2);
    }
}
