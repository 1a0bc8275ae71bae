package io.raftx.storage;

import io.raftx.raft.HardState;

/**
 * Where the node's {@link HardState} (current term, vote, commit index) lives. Thread-safe.
 */
public interface HardStateStore {

    /** The last saved hard state, or {@link HardState#EMPTY} if none was ever saved. */
    HardState load();

    /**
     * Saves {@code hardState} durably: it is fsynced when this returns. In a storage that also holds a log, this
     * ends a group commit, so log changes made before it become durable in the same write.
     *
     * @throws StorageException if the write or fsync failed; the storage is then closed
     */
    void save(HardState hardState);
}
