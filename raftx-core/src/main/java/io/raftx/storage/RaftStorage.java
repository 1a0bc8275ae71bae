package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;

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
     * The state to start the consensus core with: the hard state and the whole log, with {@code appliedIndex} 0
     * (the state machine is rebuilt by re-applying committed entries).
     *
     * @throws StorageException if a record is corrupt, or if the log's prefix was truncated
     *         ({@link RestoredState} cannot carry a snapshot yet)
     */
    RestoredState recover();

    /**
     * Makes pending changes durable and releases the storage. Idempotent. A file-backed storage rejects any later
     * call with {@link StorageException}; an in-memory one keeps its data so that a restart can be simulated.
     */
    @Override
    void close();
}
