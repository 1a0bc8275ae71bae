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
