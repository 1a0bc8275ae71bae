package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;

import java.util.List;

/**
 * A node's durable state: its {@link #log()} and its {@link #hardState()}, kept together so that one
 * {@link io.raftx.raft.Ready} is persisted with a single write and a single fsync (group commit).
 *
 * <p>Typical runtime loop: {@code storage.persist(ready.hardState(), ready.entries())}, then send the Ready's
 * messages. On start: {@code new Raft(config, storage.recover(), random)}.
 */
public interface RaftStorage extends AutoCloseable {

    /** The log. Its changes become durable at the next group commit ({@link LogStore#sync()}, {@link #persist}). */
    LogStore log();

    /** The hard state. */
    HardStateStore hardState();

    /**
     * Atomically and durably stores {@code hardState} (skipped when {@code null}) and appends {@code entries}
     * (replacing stored entries at the same or higher indexes, see {@link LogStore#append}), together with any
     * other log changes made since the last group commit. One commit, one fsync; after a crash either all of it is
     * recovered or none of it.
     *
     * @throws IllegalArgumentException if the entries cannot be appended; nothing is stored then
     * @throws StorageException if the write or fsync failed; the storage is then closed
     */
    void persist(HardState hardState, List<Entry> entries);

    /**
     * Records {@code hardState}, which differs from the stored one only in its commit index, without a commit or
     * fsync: it becomes durable with the next group commit, and a crash before that may lose it (the commit index is
     * not a promise to anyone; a restarted node learns it again). For the Readies that need no sync
     * ({@link io.raftx.raft.Ready#mustSync()}).
     *
     * @throws IllegalArgumentException if the term or vote differ from the stored ones (those must be fsynced)
     * @throws StorageException if the storage failed or is closed
     */
    void stageCommitIndex(HardState hardState);

    /**
     * Records that the state machine's snapshot {@code meta} is durable (its file is in the node's snapshot store),
     * and drops the log prefix up to {@code compactUpTo}, which must not pass the snapshot (entries between the two
     * stay for followers that are only a little behind; 0 drops nothing). One commit, one fsync, together with any
     * other pending log changes. The snapshot's file must be durable before this is called: from now on a restart
     * starts from it.
     *
     * @throws IllegalArgumentException if {@code compactUpTo} is beyond the snapshot or the log
     * @throws StorageException if the write or fsync failed; the storage is then closed
     */
    void snapshotTaken(SnapshotMeta meta, long compactUpTo);

    /**
     * Replaces the whole log with a snapshot received from the leader: records {@code meta} and resets the log to
     * end at {@code (meta.index(), meta.term())} (see {@link LogStore#resetTo}), in one commit and fsync. The
     * snapshot's file must be durable in the snapshot store, and the state machine restored from it, first.
     *
     * @throws StorageException if the write or fsync failed; the storage is then closed
     */
    void snapshotInstalled(SnapshotMeta meta);

    /** The snapshot recorded last ({@link #snapshotTaken} or {@link #snapshotInstalled}), or null. */
    SnapshotMeta snapshot();

    /**
     * The state to start the consensus core with: the hard state, the recorded snapshot (or null) and the log after
     * it. Without a snapshot the log starts at index 1 and {@code appliedIndex} is 0 (the state machine is rebuilt
     * by re-applying committed entries); with one, the log starts right after the snapshot and {@code appliedIndex}
     * is the snapshot's index: the runtime restores the state machine from the snapshot's file before it starts
     * the core. Stored entries the snapshot covers are not returned.
     *
     * @throws StorageException if a record is corrupt, if the log's prefix was truncated with no snapshot recorded
     *         to cover it, or if the snapshot and the log disagree
     */
    RestoredState recover();

    /**
     * Makes pending changes durable and releases the storage. Idempotent. A file-backed storage rejects any later
     * call with {@link StorageException}; an in-memory one keeps its data so that a restart can be simulated.
     */
    @Override
    void close();
}
