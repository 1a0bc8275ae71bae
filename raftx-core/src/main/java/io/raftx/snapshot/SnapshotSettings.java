package io.raftx.snapshot;

/**
 * When a node snapshots its state machine and how it ships snapshots.
 *
 * @param threshold     take a snapshot once the log holds more than this many entries (the starting point of
 *                      {@link SnapshotPolicy}'s dynamic threshold)
 * @param retainEntries entries kept in the log behind a snapshot, so that a follower only a little behind gets
 *                      entries instead of a whole snapshot
 * @param chunkBytes    bytes per chunk when streaming a snapshot to a follower (memory per transfer is a few chunks)
 */
public record SnapshotSettings(long threshold, long retainEntries, int chunkBytes) {

    public static final SnapshotSettings DEFAULTS = new SnapshotSettings(100_000, 10_000, 1 << 20);

    public SnapshotSettings {
        if (threshold < 1) {
            throw new IllegalArgumentException("snapshot threshold must be at least 1 entry, got " + threshold);
        }
        if (retainEntries < 0) {
            throw new IllegalArgumentException("snapshot retainEntries must be >= 0, got " + retainEntries);
        }
        if (chunkBytes < 1024 || chunkBytes > 64 << 20) {
            throw new IllegalArgumentException("snapshot chunkBytes must be between 1 KiB and 64 MiB, got "
                    + chunkBytes);
        }
    }

    public SnapshotSettings withThreshold(long newThreshold) {
        return new SnapshotSettings(newThreshold, retainEntries, chunkBytes);
    }

    public SnapshotSettings withRetainEntries(long newRetainEntries) {
        return new SnapshotSettings(threshold, newRetainEntries, chunkBytes);
    }

    public SnapshotSettings withChunkBytes(int newChunkBytes) {
        return new SnapshotSettings(threshold, retainEntries, newChunkBytes);
    }
}
