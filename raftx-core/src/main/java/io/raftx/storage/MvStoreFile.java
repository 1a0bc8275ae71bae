package io.raftx.storage;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Opening an {@link MvStoreRaftStorage} file: creating and initializing a new one, refusing one that lost committed
 * data or is not RaftX storage, and telling apart a locked, unreadable or corrupt file in the error.
 */
final class MvStoreFile {

    /** The MVStore file header key present only after a clean close. */
    private static final String HEADER_CLEAN = "clean";

    private static final String LOG_MAP = "raftx.log";
    private static final String STATE_MAP = "raftx.state";

    private MvStoreFile() {
    }

    /** Opens (creating if needed, with parent directories) the storage file. */
    static MvStoreRaftStorage open(Path file, MvStoreRaftStorage.Options options) {
        Objects.requireNonNull(options, "options");
        Path path = file.toAbsolutePath().normalize();
        Path dir = path.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("Cannot create directory " + dir + " for RaftX storage file " + path + ": " + e
                    + ". Check the path and its permissions.", e);
        }
        if (Files.isDirectory(path)) {
            throw new StorageException("RaftX storage file " + path + " is a directory. Give the path of a file.");
        }
        MVStore store = openStore(path, options);
        try {
            if (store.isReadOnly()) {
                throw new StorageException("RaftX storage file " + path + " is not writable. Fix its permissions (the "
                        + "node must be able to write its log and vote).");
            }
            if (store.getMapNames().isEmpty()) {
                checkNothingWasLost(path, store, true);
                store = initialize(path, store, options);
            }
            checkNothingWasLost(path, store, false);
            // After a crash, read every record now: damage shows up here, with a clear error, rather than in the
            // middle of running. (MVStore accepts a chunk whose header and footer are intact; a power loss on a
            // disk that reorders writes can still have lost sectors in between.)
            boolean crashed = !store.getStoreHeader().containsKey(HEADER_CLEAN);
            return construct(path, options, store, crashed);
        } catch (RuntimeException | AssertionError e) {
            // AssertionError: with -ea, MVStore's own consistency assertions fire on some damaged files.
            store.closeImmediately();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw corrupt(path, "it cannot be read: " + e, e);
        }
    }

    /**
     * Loads the storage's bookkeeping from {@code store}. With {@code verifyAll}, every record is read and checked,
     * which is what it takes to find out whether a crash left a damaged commit.
     */
    private static MvStoreRaftStorage construct(Path path, MvStoreRaftStorage.Options options, MVStore store,
                                                boolean verifyAll) {
        try {
            Set<String> names = store.getMapNames();
            if (!names.contains(STATE_MAP)) {
                throw new StorageException("File " + path + " is an MVStore file but not RaftX storage (it holds maps "
                        + names + "). Point the node at its own data file.");
            }
            MVMap<Long, byte[]> logMap = openLogMap(store);
            MVMap<String, byte[]> stateMap = openStateMap(store);
            // every commit is fsynced before the next starts, so dead chunks need not be kept around
            store.setRetentionTime(0);
            MvStoreFailure failure = new MvStoreFailure(path, store);
            MvStoreStateMap state = new MvStoreStateMap(path, stateMap, failure);
            MvStoreLog log = new MvStoreLog(path, logMap, state.logStart(), verifyAll, failure,
                    MvStoreLog.MAX_REBUILD_BYTES);
            return new MvStoreRaftStorage(path, options, store, state, log, failure);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException | AssertionError e) {
            throw corrupt(path, "it cannot be read: " + e, e);
        }
    }

    private static MVStore openStore(Path path, MvStoreRaftStorage.Options options) {
        try {
            return new MVStore.Builder()
                    .fileName(DataSyncFilePath.fileName(path)) // fdatasync, not fsync: see DataSyncFilePath
                    .autoCommitDisabled()      // no background thread: nothing is written behind our back
                    .autoCommitBufferSize(0)   // nor when unsaved changes pile up
                    .cacheSize(options.cacheSizeMb())
                    .open();
        } catch (MVStoreException e) {
            throw openFailure(path, e);
        } catch (RuntimeException | AssertionError e) {
            // AssertionError: with -ea, MVStore's own consistency assertions fire on some damaged files.
            throw new StorageException("Cannot open RaftX storage file " + path + ": " + e
                    + ". If the file is damaged, restore it from a backup, or remove it and re-add this node to the "
                    + "cluster as a new member.", e);
        }
    }

    /**
     * Writes the format marker into a new file, then closes and reopens it: the clean close records the first chunk
     * in the file header, and from then on every header names a chunk. So a file whose header names a chunk but
     * whose data is gone (cut short, overwritten) can be told from a new one, instead of being silently started
     * over as an empty node.
     */
    private static MVStore initialize(Path path, MVStore store, MvStoreRaftStorage.Options options) {
        MVMap<String, byte[]> state = openStateMap(store);
        openLogMap(store);
        MvStoreStateMap.writeFormat(state);
        store.commit();
        store.sync();
        store.close(0);
        syncDirectory(path.getParent());
        return openStore(path, options);
    }

    /**
     * MVStore opens the newest complete set of chunks it finds. After a crash that is the last commit, or the one
     * before it if the crash tore the last commit (each commit is fsynced before the next starts). If the file
     * header names a newer version than that, committed data went missing: the file was damaged, not just torn.
     */
    private static void checkNothingWasLost(Path path, MVStore store, boolean empty) {
        Map<String, Object> header = store.getStoreHeader();
        if (empty) {
            if (header.containsKey("chunk")) {
                throw corrupt(path, "its header shows it held data, but no data could be read back", null);
            }
            return;
        }
        long headerVersion = DataUtils.readHexLong(header, "version", 0);
        long recovered = store.getCurrentVersion();
        if (recovered < headerVersion - 1) {
            throw corrupt(path, "its header records version " + headerVersion + " but only version " + recovered
                    + " could be read back, so committed data is missing", null);
        }
    }

    static MVMap<Long, byte[]> openLogMap(MVStore store) {
        return store.openMap(LOG_MAP, new MVMap.Builder<Long, byte[]>().singleWriter()
                .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    private static MVMap<String, byte[]> openStateMap(MVStore store) {
        return store.openMap(STATE_MAP, new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    private static StorageException openFailure(Path path, MVStoreException e) {
        return switch (e.getErrorCode()) {
            case DataUtils.ERROR_FILE_LOCKED -> new StorageException("RaftX storage file " + path + " is locked: "
                    + "another process, or another storage in this JVM, has it open. Stop the other node using this "
                    + "data directory; two nodes must never share one.", e);
            case DataUtils.ERROR_READING_FAILED, DataUtils.ERROR_WRITING_FAILED -> new StorageException(
                    "Cannot access RaftX storage file " + path + ": " + e.getMessage()
                            + ". Check the disk, the path and its permissions.", e);
            default -> corrupt(path, e.getMessage(), e);
        };
    }

    static StorageException corrupt(Path path, String what, Throwable cause) {
        return new StorageException("RaftX storage file " + path + " is corrupt: " + what + ". It cannot be repaired "
                + "automatically. Restore it from a backup, or remove it and re-add this node to the cluster as a new "
                + "member; do not just delete it and restart under the same id, or the node may vote twice in one "
                + "term and forget acknowledged entries.", cause);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the file itself is fsynced
        }
    }
}

