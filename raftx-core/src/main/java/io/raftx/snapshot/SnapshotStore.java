package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a node keeps its state machine snapshots: one file per snapshot, each written once, atomically, and checked
 * (CRC32C) before it is used. The node's {@link io.raftx.storage.RaftStorage} records which snapshot is current;
 * this store holds the data. Methods throw {@link io.raftx.storage.StorageException} when the disk fails or a file
 * is damaged: the node cannot continue safely then. Thread-safe.
 */
public interface SnapshotStore {

    /**
     * Writes a snapshot: the header for {@code meta}, then {@code content}'s payload, then the trailer and checksum.
     * Atomic and durable: when this returns the file is complete, fsynced and in place under the snapshot's name;
     * after a crash there is either the complete file or none (a partial temporary file is deleted on open).
     */
    StoredSnapshot save(SnapshotMeta meta, SnapshotContent content);

    /**
     * Moves a snapshot received from the leader, complete, verified and fsynced in {@link #incomingDir()}, into the
     * store, durably (rename, then directory fsync).
     */
    StoredSnapshot install(StoredSnapshot received);

    /** The snapshot that ends at {@code meta}'s index and term, checked; empty if the store has none. */
    Optional<StoredSnapshot> find(SnapshotMeta meta);

    /** The snapshot with the highest index, checked; empty if the store is empty. */
    Optional<StoredSnapshot> latest();

    /** Deletes every snapshot except {@code keep} (older ones, and newer ones a crash left unrecorded). */
    void retainOnly(SnapshotMeta keep);

    /** Where incoming transfers stage their files: on the same file system, so {@link #install} is a rename. */
    Path incomingDir();
}
