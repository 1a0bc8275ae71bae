package io.raftx.raft;

/**
 * The core's side of a snapshot the node takes itself, reached through {@link Raft#snapshots()}: the metadata it
 * carries, recording it once its file is written, compacting the log behind it, and the runtime's reports on
 * streaming it to a follower. (A snapshot received from the leader arrives as a message, {@link FollowerReplication}.)
 */
public final class RaftSnapshots {

    private final Raft raft;
    private final RaftLog log;

    RaftSnapshots(Raft raft, RaftLog log) {
        this.raft = raft;
        this.log = log;
    }

    /**
     * The metadata a snapshot of the state at {@code index} (at most the applied index) carries, to write with its
     * data before the snapshot is recorded with {@link #taken}.
     */
    public SnapshotMeta meta(long index) {
        if (index < log.firstIndex() - 1 || index > log.applied()) {
            throw new IllegalArgumentException("snapshot index " + index + " must be between " + (log.firstIndex() - 1)
                    + " and the applied index " + log.applied());
        }
        return new SnapshotMeta(index, log.term(index), log.memberships().at(index));
    }

    /**
     * The state machine saved a snapshot at {@code index} (at most the applied index). Returns its metadata; the
     * leader sends this snapshot to followers that need compacted entries.
     */
    public SnapshotMeta taken(long index) {
        SnapshotMeta meta = meta(index);
        log.snapshotTaken(meta);
        return meta;
    }

    /** Drops log entries up to {@code upTo}, which must be covered by a snapshot taken before. */
    public void compactLog(long upTo) {
        log.compact(upTo);
    }

    /** The runtime could not stream the snapshot to {@code follower}; it will be retried. */
    public void transferFailed(String follower) {
        Leadership leadership = raft.leadership();
        if (leadership != null) {
            leadership.replicator().snapshotFailed(follower);
        }
    }

    /**
     * The runtime finished streaming the snapshot to {@code follower}. The leader then probes right after the
     * snapshot, so a lost acknowledgement (or a follower that crashed while installing) cannot stall replication.
     */
    public void transferred(String follower) {
        Leadership leadership = raft.leadership();
        if (leadership != null) {
            leadership.replicator().snapshotSent(follower);
        }
    }
}
