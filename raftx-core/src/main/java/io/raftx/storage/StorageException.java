package io.raftx.storage;

/**
 * A storage failure the caller cannot fix by retrying: the file is corrupt, locked, unwritable, or an earlier write
 * or fsync failed. Messages name the file and say what an operator can do about it.
 *
 * <p>After a write or fsync failure the storage closes itself: whether the failed batch reached the disk is
 * unknown, so the only safe continuation is to restart the node, which recovers whatever is durable.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
