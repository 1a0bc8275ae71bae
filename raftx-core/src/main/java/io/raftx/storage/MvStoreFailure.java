package io.raftx.storage;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.nio.file.Path;

/**
 * The first write or fsync failure of an {@link MvStoreRaftStorage}: it closes the store (whether the failed batch
 * reached the disk is unknown, see {@link StorageException}), and every later call reports it. Guarded by the
 * storage's lock, like everything else the storage owns.
 */
final class MvStoreFailure {

    private final Path file;
    private final MVStore store;
    private StorageException failure;

    MvStoreFailure(Path file, MVStore store) {
        this.file = file;
        this.store = store;
    }

    /** Records {@code e} as the storage's failure, closes the store and returns the exception to throw. */
    StorageException fail(String what, RuntimeException e) {
        if (e instanceof MVStoreException mve && mve.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT) {
            failure = MvStoreFile.corrupt(file, what + " found damaged data (" + e.getMessage() + ")", e);
        } else {
            failure = new StorageException("RaftX storage file " + file + ": " + what + " failed (" + e + "). The "
                    + "storage is closed. Restart the node: it recovers what was durable (check the disk first if this "
                    + "repeats).", e);
        }
        store.closeImmediately();
        return failure;
    }

    boolean happened() {
        return failure != null;
    }

    /** Throws the recorded failure again (a new exception, so that the caller's stack shows up). */
    void rethrowIfFailed() {
        if (failure != null) {
            throw new StorageException(failure.getMessage(), failure);
        }
    }
}
