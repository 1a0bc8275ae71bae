package io.raftx.storage;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Where a file that recovered from a crash is copied to before it replaces the file. */
    private static final String RECOVERED_SUFFIX = ".recovered";

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
            // disk that reorders writes can still have lost sectors in between.) Then leave no trace of what recovery
            // dropped (rewriteRecovered).
            if (!store.getStoreHeader().containsKey(HEADER_CLEAN)) {
                construct(path, options, store, true); // reads and checks every record; writes nothing
                store = rewriteRecovered(path, store, options);
            }
            return construct(path, options, store, false);
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
     * Replaces a file that recovered from a crash by a new one holding just the recovered state, and opens that.
     * MVStore recovers the newest commit it can reach from the file header, but a complete chunk written after it
     * can remain in the file (a kill after the chunk was written, before the header was); a later open that scans
     * the whole file, which MVStore does when its quick checks fail, could find that chunk and bring back a commit
     * recovery had dropped, after the node had voted or appended differently (the next commits even reuse its chunk
     * id). A new file has no such leftovers. The old file stays in place until the new one is complete and synced,
     * so a crash during the rewrite just repeats it on the next start.
     */
    private static MVStore rewriteRecovered(Path path, MVStore store, MvStoreRaftStorage.Options options) {
        Path copy = path.resolveSibling(path.getFileName() + RECOVERED_SUFFIX);
        try {
            Files.deleteIfExists(copy);
            MVStore target = openStore(copy, options);
            try {
                copyMap(openStateMap(store), openStateMap(target), target);
                for (String name : LogSegments.names(store)) {
                    copyMap(LogSegments.open(store, name), LogSegments.open(target, name), target);
                }
                target.commit();
                target.close(0);
            } finally {
                target.closeImmediately(); // a no-op after close; otherwise frees the lock of a failed copy
            }
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            keepPermissions(path, copy);
            store.closeImmediately();
            Files.move(copy, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(path.getParent());
        } catch (IOException | RuntimeException e) {
            store.closeImmediately();
            try {
                Files.deleteIfExists(copy);
            } catch (IOException | RuntimeException ignored) {
                // the next start deletes it
            }
            throw new StorageException("Cannot rewrite RaftX storage file " + path + " after a crash (through " + copy
                    + "): " + e + ". Check free disk space and permissions, then start the node again; the file "
                    + "itself is unchanged.", e);
        }
        return openStore(path, options);
    }

    /** The copy gets the original's permissions (an operator may have narrowed them), where the platform has them. */
    private static void keepPermissions(Path original, Path copy) throws IOException {
        try {
            Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(original));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the copy has the directory's defaults
        }
    }

    /** Copies every record, committing now and then so that unsaved pages stay few. */
    private static <K> void copyMap(MVMap<K, byte[]> from, MVMap<K, byte[]> to, MVStore target) {
        int unsaved = 0;
        for (Map.Entry<K, byte[]> e : from.entrySet()) {
            to.append(e.getKey(), e.getValue());
            if (++unsaved == 10_000) {
                target.commit();
                unsaved = 0;
            }
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
            LogSegments segments = new LogSegments(store, options.segmentEntries());
            MVMap<String, byte[]> stateMap = openStateMap(store);
            // every commit is fsynced before the next starts, so dead chunks need not be kept around
            store.setRetentionTime(0);
            MvStoreFailure failure = new MvStoreFailure(path, store);
            MvStoreStateMap state = new MvStoreStateMap(path, stateMap, failure);
            MvStoreLog log = new MvStoreLog(path, segments, state.logStart(), verifyAll, failure);
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

    /**
     * Commits {@code store}'s changes as one new chunk and fsyncs it, with the file header rewritten to name that
     * chunk. MVStore rewrites the header only now and then, and after writing the chunk; with dead chunks reused at
     * once (retention time 0), the chunk the header names can be overwritten by a new one, and a kill before the
     * header follows left a file that opened several commits back (our check refused it; {@code
     * MvStoreCrashPointTest} replays that kill). A header that always names the last fsynced chunk, which is live
     * until the next chunk is written, closes that window. MVStore has no setting for it, but it writes the header
     * whenever the header holds the clean-shutdown mark, which it removes before writing: so the mark is set before
     * each commit. It never reaches the disk this way; only a clean close writes it.
     */
    static void commitDurably(MVStore store) {
        store.getStoreHeader().put(HEADER_CLEAN, 1);
        store.commit();
        store.sync();
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

