package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.Cursor;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link RaftStorage} in one H2 MVStore file.
 *
 * <p><b>Layout.</b> Map {@code raftx.log}: entry index (long) to an entry record; map {@code raftx.state}: the hard
 * state, where the log starts, the latest snapshot's meta (its data lives in the node's snapshot store) and the
 * file's format version. Records are written by {@link RecordCodec}, each with its own CRC32C, so a damaged record
 * is reported instead of being handed to the core.
 *
 * <p><b>Durability.</b> The store is opened with auto-commit disabled: MVStore writes nothing on its own. A group
 * commit ({@link LogStore#sync()}, {@link HardStateStore#save}, {@link #persist}) is one {@link MVStore#commit()},
 * which writes one new chunk holding every change since the last one, followed by {@link MVStore#sync()}, which is
 * {@code FileChannel.force(true)} (fsync). A commit is atomic: after a crash, MVStore opens the newest chunk whose
 * header and footer are intact, so a group commit is recovered whole or not at all. Because every commit is fsynced
 * before the next one starts, old chunks may be reused as soon as they hold no live data (retention time 0).
 *
 * <p><b>Recovery checks.</b> Opening after an unclean shutdown reads and checks every record, so damage is reported
 * at start-up rather than later. Opening also refuses a file that recovered to a version more than one commit older
 * than its header records (data was lost, the file was not just torn), and a file whose data is gone entirely but
 * whose header shows it had some (rather than silently starting it over as an empty node). MVStore does not checksum
 * a chunk's pages, only its header and footer: a power loss on a disk that reorders writes could persist both but
 * not every sector between them. Such a file is refused with a {@link StorageException} when read, not repaired.
 *
 * <p><b>File growth.</b> Every commit writes a new chunk and leaves old pages dead. Every
 * {@link Options#housekeepingIntervalCommits()} commits, and on {@link #close()}, the storage checks how full its
 * chunks are and, below {@link Options#targetFillRate()}, rewrites the live pages of sparse chunks so that those die
 * and their space is reused; MVStore truncates the file when its end becomes free.
 *
 * <p><b>Truncation.</b> Removing a conflicting suffix deletes just those keys. Removing a prefix
 * ({@link LogStore#truncatePrefix}, {@link LogStore#resetTo}) only records the new start; the keys below it are
 * deleted in batches of {@link Options#prefixRemovalBatch()} with the following commits, so a large prefix never
 * stalls one write.
 *
 * <p>Thread-safe: all calls are serialized on one lock. A write or fsync failure closes the storage (see
 * {@link StorageException}).
 */
public final class MvStoreRaftStorage implements RaftStorage {

    /**
     * Tuning.
     *
     * @param cacheSizeMb                 MVStore page cache size
     * @param housekeepingIntervalCommits how many group commits between checks of the fill rate
     * @param targetFillRate              percentage of live data in chunks below which sparse chunks are rewritten
     *                                    (1..99); the file stays within roughly twice the live data
     * @param prefixRemovalBatch          how many truncated-prefix keys each commit deletes at most
     */
    public record Options(int cacheSizeMb, int housekeepingIntervalCommits, int targetFillRate,
                          int prefixRemovalBatch) {

        public static final Options DEFAULTS = new Options(16, 64, 50, 4096);

        public Options {
            if (cacheSizeMb < 1 || housekeepingIntervalCommits < 1 || targetFillRate < 1 || targetFillRate > 99
                    || prefixRemovalBatch < 1) {
                throw new IllegalArgumentException("invalid storage options " + this);
            }
        }
    }

    /** The MVStore file header key present only after a clean close. */
    private static final String HEADER_CLEAN = "clean";

    static final int FORMAT = 1;
    static final String LOG_MAP = "raftx.log";
    static final String STATE_MAP = "raftx.state";
    private static final String KEY_FORMAT = "format";
    private static final String KEY_HARD_STATE = "hardState";
    private static final String KEY_LOG_START = "logStart";
    private static final String KEY_SNAPSHOT = "snapshot";

    /** At most this many bytes of live pages are rewritten by one housekeeping round. */
    private static final int HOUSEKEEPING_REWRITE_BYTES = 4 << 20;

    private final Path file;
    private final Options options;
    private final MVStore store;
    private final MVMap<Long, byte[]> log;
    private final MVMap<String, byte[]> state;
    private final Log logView = new Log();
    private final HardStates hardStateView = new HardStates();

    // all guarded by "this"
    private long firstIndex;
    private long prevTerm;
    private long lastIndex;
    private long lastTerm;
    /** Keys in {@code [garbageFrom, firstIndex)} may still exist and are to be deleted. */
    private long garbageFrom;
    private HardState hardState;
    private SnapshotMeta snapshot;
    private int commitsSinceHousekeeping;
    private long commits;
    private StorageException failure;
    private boolean closed;

    /**
     * Loads the storage's bookkeeping from {@code store}. With {@code verifyAll}, every record is read and checked,
     * which is what it takes to find out whether a crash left a damaged commit.
     */
    private MvStoreRaftStorage(Path file, Options options, MVStore store, boolean verifyAll) {
        this.file = file;
        this.options = options;
        this.store = store;
        Set<String> names = store.getMapNames();
        if (!names.contains(STATE_MAP)) {
            throw new StorageException("File " + file + " is an MVStore file but not RaftX storage (it holds maps "
                    + names + "). Point the node at its own data file.");
        }
        this.log = openLogMap(store);
        this.state = openStateMap(store);
        // every commit is fsynced before the next starts, so dead chunks need not be kept around
        store.setRetentionTime(0);
        byte[] format = state.get(KEY_FORMAT);
        if (format == null || format.length != 1) {
            throw corrupt("the format marker is missing", null);
        }
        if (format[0] != FORMAT) {
            throw new StorageException("RaftX storage file " + file + " has format version " + format[0]
                    + ", this build reads version " + FORMAT + ". Use a matching RaftX version.");
        }
        LogStart start = LogStart.INITIAL;
        byte[] startRecord = state.get(KEY_LOG_START);
        if (startRecord != null) {
            try {
                start = RecordCodec.decodeLogStart(startRecord);
            } catch (CorruptRecordException e) {
                throw corrupt("the log start record is damaged: " + e.getMessage(), null);
            }
        }
        firstIndex = start.firstIndex();
        prevTerm = start.prevTerm();
        byte[] hsRecord = state.get(KEY_HARD_STATE);
        try {
            hardState = hsRecord == null ? HardState.EMPTY : RecordCodec.decodeHardState(hsRecord);
        } catch (CorruptRecordException e) {
            throw corrupt("the hard state record is damaged: " + e.getMessage(), null);
        }
        byte[] snapshotRecord = state.get(KEY_SNAPSHOT);
        try {
            snapshot = snapshotRecord == null ? null : RecordCodec.decodeSnapshotMeta(snapshotRecord);
        } catch (CorruptRecordException e) {
            throw corrupt("the snapshot record is damaged: " + e.getMessage(), null);
        }
        Long lastKey = log.lastKey();
        lastIndex = lastKey == null || lastKey < firstIndex ? firstIndex - 1 : lastKey;
        Long firstKey = log.firstKey();
        garbageFrom = firstKey == null ? firstIndex : Math.min(firstKey, firstIndex);
        if (verifyAll && firstKey != null) {
            // the truncated prefix still on disk too: a damaged page there matters as much
            scan(firstKey, Math.min(lastKey, firstIndex - 1), Long.MAX_VALUE, false, null);
        }
        if (lastIndex >= firstIndex) {
            long firstPos = log.getKeyIndex(firstIndex);
            long lastPos = log.getKeyIndex(lastIndex);
            if (firstPos < 0 || lastPos - firstPos != lastIndex - firstIndex) {
                throw corrupt("the log [" + firstIndex + ", " + lastIndex + "] has missing entries", null);
            }
            if (verifyAll) {
                scan(firstIndex, lastIndex, Long.MAX_VALUE, true, null);
            }
            lastTerm = read(lastIndex).term();
        } else {
            lastTerm = prevTerm;
        }
    }

    /** Opens (creating if needed, with parent directories) the storage file with default {@link Options}. */
    public static MvStoreRaftStorage open(Path file) {
        return open(file, Options.DEFAULTS);
    }

    /** Opens (creating if needed, with parent directories) the storage file. */
    public static MvStoreRaftStorage open(Path file, Options options) {
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

    private static MvStoreRaftStorage construct(Path path, Options options, MVStore store, boolean verifyAll) {
        try {
            return new MvStoreRaftStorage(path, options, store, verifyAll);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException | AssertionError e) {
            throw corrupt(path, "it cannot be read: " + e, e);
        }
    }

    private static MVStore openStore(Path path, Options options) {
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
    private static MVStore initialize(Path path, MVStore store, Options options) {
        MVMap<String, byte[]> state = openStateMap(store);
        openLogMap(store);
        state.put(KEY_FORMAT, new byte[]{FORMAT});
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

    private static MVMap<Long, byte[]> openLogMap(MVStore store) {
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

    private static StorageException corrupt(Path path, String what, Throwable cause) {
        return new StorageException("RaftX storage file " + path + " is corrupt: " + what + ". It cannot be repaired "
                + "automatically. Restore it from a backup, or remove it and re-add this node to the cluster as a new "
                + "member; do not just delete it and restart under the same id, or the node may vote twice in one "
                + "term and forget acknowledged entries.", cause);
    }

    private StorageException corrupt(String what, Throwable cause) {
        return corrupt(file, what, cause);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the file itself is fsynced
        }
    }

    /** The storage file. */
    public Path file() {
        return file;
    }

    @Override
    public LogStore log() {
        return logView;
    }

    @Override
    public HardStateStore hardState() {
        return hardStateView;
    }

    @Override
    public synchronized void persist(HardState hs, List<Entry> entries) {
        ensureOpen();
        stageAppend(entries);
        if (hs != null) {
            stageHardState(hs);
        }
        groupCommit();
    }

    /** Staged in the map only: the next group commit ({@link #persist}, a snapshot, close) writes it with the rest. */
    @Override
    public synchronized void stageCommitIndex(HardState hs) {
        ensureOpen();
        LogRules.checkCommitOnly(hardState, hs);
        stageHardState(hs);
    }

    @Override
    public synchronized void snapshotTaken(SnapshotMeta meta, long compactUpTo) {
        ensureOpen();
        LogRules.checkCompaction(meta, compactUpTo, lastIndex);
        if (compactUpTo >= firstIndex) {
            stageLogStart(compactUpTo + 1, termOf(compactUpTo));
        }
        stageSnapshot(meta);
        groupCommit();
    }

    @Override
    public synchronized void snapshotInstalled(SnapshotMeta meta) {
        ensureOpen();
        logView.resetTo(meta.index(), meta.term());
        stageSnapshot(meta);
        groupCommit();
    }

    @Override
    public synchronized SnapshotMeta snapshot() {
        ensureOpen();
        return snapshot;
    }

    @Override
    public synchronized RestoredState recover() {
        ensureOpen();
        List<Entry> entries = readRange(firstIndex, lastIndex, Long.MAX_VALUE);
        return LogRules.restoredState(hardState, snapshot, firstIndex, prevTerm, entries, "storage file " + file);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (failure != null) {
            closed = true;
            return; // the store was closed when it failed
        }
        try {
            groupCommit();
            housekeeping();
            // MVStore's own close-time compaction moves chunks, which is left out on purpose (see housekeeping())
            store.close(0);
        } catch (StorageException e) {
            throw e; // the storage failed and closed itself, and the message says why
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw new StorageException("Failed to close RaftX storage file " + file + " cleanly: " + e
                    + ". Everything synced before is durable; the next open recovers it.", e);
        } finally {
            closed = true;
        }
    }

    // ---- group commit and housekeeping

    private void groupCommit() {
        ensureOpen();
        removeGarbage(options.prefixRemovalBatch());
        if (!store.hasUnsavedChanges()) {
            return;
        }
        try {
            store.commit();
            store.sync();
            commits++;
        } catch (RuntimeException e) {
            throw fail("write or fsync", e);
        }
        if (++commitsSinceHousekeeping >= options.housekeepingIntervalCommits()) {
            commitsSinceHousekeeping = 0;
            housekeeping();
        }
    }

    /**
     * Rewrites live pages out of chunks that are mostly dead, so that those chunks die and their space is reused.
     * New chunks go to the first free space that fits, and MVStore truncates the file whenever its tail is free, so
     * this alone keeps the file near its live size. (MVStore's chunk-moving compaction is not used: on 2.4.240 it
     * trips its own assertions in some layouts.)
     *
     * <p>Called right after a group commit, so nothing is pending: the rewrite is committed and fsynced like any
     * other change, and a crash in the middle recovers the last complete chunk as always.
     */
    private void housekeeping() {
        try {
            if (store.getFileStore().getChunksFillRate() < options.targetFillRate()) {
                store.compact(options.targetFillRate(), HOUSEKEEPING_REWRITE_BYTES);
                if (store.hasUnsavedChanges()) {
                    store.commit();
                    store.sync();
                    commits++;
                }
            }
        } catch (RuntimeException e) {
            throw fail("compaction", e);
        }
    }

    /** Deletes up to {@code max} keys of a truncated prefix. */
    private void removeGarbage(int max) {
        long end = Math.min(firstIndex, garbageFrom + max); // exclusive
        for (long i = garbageFrom; i < end; i++) {
            log.remove(i);
        }
        garbageFrom = end;
    }

    private StorageException fail(String what, RuntimeException e) {
        if (e instanceof MVStoreException mve && mve.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT) {
            failure = corrupt(what + " found damaged data (" + e.getMessage() + ")", e);
        } else {
            failure = new StorageException("RaftX storage file " + file + ": " + what + " failed (" + e + "). The "
                    + "storage is closed. Restart the node: it recovers what was durable (check the disk first if this "
                    + "repeats).", e);
        }
        store.closeImmediately();
        return failure;
    }

    private void ensureOpen() {
        if (failure != null) {
            throw new StorageException(failure.getMessage(), failure);
        }
        if (closed) {
            throw new StorageException("RaftX storage file " + file + " is closed");
        }
    }

    // ---- staging

    private void stageAppend(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        LogRules.checkAppend(entries, firstIndex, lastIndex, this::termOf);
        long start = entries.get(0).index();
        Entry tail = entries.get(entries.size() - 1);
        byte[][] records = new byte[entries.size()][];
        for (int i = 0; i < records.length; i++) {
            records[i] = RecordCodec.encodeEntry(entries.get(i));
        }
        try {
            for (long i = lastIndex; i >= start; i--) {
                log.remove(i); // a conflicting suffix, and the keys this run rewrites: append needs higher keys
            }
            Long highest = log.lastKey();
            if (highest != null && highest >= start) {
                throw new IllegalStateException("log key " + highest + " is in the way of appending from " + start);
            }
            // Append mode (the map is single-writer: all calls hold this lock) gathers the run and inserts it into
            // the last leaf at once, instead of copying the leaf and its parents once per entry; the flush leaves
            // the map in its ordinary state for everything after.
            for (int i = 0; i < records.length; i++) {
                log.append(start + i, records[i]);
            }
            log.flushAndGetRoot();
        } catch (RuntimeException e) {
            throw fail("staging an append", e);
        }
        lastIndex = tail.index();
        lastTerm = tail.term();
    }

    private void stageHardState(HardState hs) {
        Objects.requireNonNull(hs, "hardState");
        try {
            state.put(KEY_HARD_STATE, RecordCodec.encodeHardState(hs));
        } catch (RuntimeException e) {
            throw fail("staging the hard state", e);
        }
        hardState = hs;
    }

    private void stageSnapshot(SnapshotMeta meta) {
        try {
            state.put(KEY_SNAPSHOT, RecordCodec.encodeSnapshotMeta(meta));
        } catch (RuntimeException e) {
            throw fail("staging the snapshot record", e);
        }
        snapshot = meta;
    }

    private void stageLogStart(long newFirst, long newPrevTerm) {
        try {
            state.put(KEY_LOG_START, RecordCodec.encodeLogStart(new LogStart(newFirst, newPrevTerm)));
        } catch (RuntimeException e) {
            throw fail("staging a log truncation", e);
        }
        firstIndex = newFirst;
        prevTerm = newPrevTerm;
    }

    // ---- reads

    private long termOf(long index) {
        LogRules.checkTermIndex(index, firstIndex, lastIndex);
        if (index == firstIndex - 1) {
            return prevTerm;
        }
        if (index == lastIndex) {
            return lastTerm;
        }
        return read(index).term();
    }

    private Entry read(long index) {
        byte[] record;
        try {
            record = log.get(index);
        } catch (RuntimeException e) {
            throw corrupt("reading entry " + index + " failed: " + e, e);
        }
        return decode(index, record);
    }

    private Entry decode(long index, byte[] record) {
        try {
            return RecordCodec.decodeEntry(index, record);
        } catch (CorruptRecordException e) {
            throw corrupt("log entry " + index + " is damaged: " + e.getMessage(), null);
        }
    }

    private List<Entry> readRange(long from, long toInclusive, long maxBytes) {
        List<Entry> out = new ArrayList<>((int) Math.min(1024, Math.max(0, toInclusive - from + 1)));
        scan(from, toInclusive, maxBytes, true, out);
        return out;
    }

    /**
     * Reads and checks the records in {@code [from, toInclusive]}, adding them to {@code out} (if not null) until
     * their size passes {@code maxBytes}. {@code contiguous}: every index in the range must be there.
     */
    private void scan(long from, long toInclusive, long maxBytes, boolean contiguous, List<Entry> out) {
        if (from > toInclusive) {
            return;
        }
        long expected = from;
        long bytes = 0;
        boolean first = true;
        try {
            Cursor<Long, byte[]> cursor = log.cursor(from, toInclusive, false);
            while (cursor.hasNext()) {
                long index = cursor.next();
                if (contiguous && index != expected) {
                    throw corrupt("log entry " + expected + " is missing", null);
                }
                Entry e = decode(index, cursor.getValue());
                bytes += e.sizeBytes();
                if (!first && bytes > maxBytes) {
                    return;
                }
                first = false;
                if (out != null) {
                    out.add(e);
                }
                expected = index + 1;
            }
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("reading entries [" + from + ", " + toInclusive + "] failed: " + e, e);
        }
        if (contiguous && expected != toInclusive + 1) {
            throw corrupt("log entry " + expected + " is missing", null);
        }
    }

    // ---- for tests and measurements in this package

    synchronized long fileSize() {
        ensureOpen();
        return store.getFileStore().size();
    }

    synchronized int fillRate() {
        ensureOpen();
        return store.getFillRate();
    }

    synchronized int chunksFillRate() {
        ensureOpen();
        return store.getFileStore().getChunksFillRate();
    }

    synchronized long commits() {
        return commits;
    }

    synchronized long storedKeys() {
        ensureOpen();
        return log.sizeAsLong();
    }

    /** Closes the file without writing anything, as a crash would leave it. */
    synchronized void closeWithoutWriting() {
        if (!closed) {
            closed = true;
            store.closeImmediately();
        }
    }

    /** Runs housekeeping now, whatever the interval. */
    synchronized void housekeepNow() {
        ensureOpen();
        groupCommit();
        housekeeping();
    }

    // ---- views

    private final class Log implements LogStore {

        @Override
        public long firstIndex() {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return firstIndex;
            }
        }

        @Override
        public long lastIndex() {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return lastIndex;
            }
        }

        @Override
        public Entry entry(long index) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkEntryIndex(index, firstIndex, lastIndex);
                return read(index);
            }
        }

        @Override
        public long term(long index) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return termOf(index);
            }
        }

        @Override
        public List<Entry> entries(long from, long toInclusive, long maxBytes) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkRange(from, toInclusive, firstIndex, lastIndex);
                LogRules.checkMaxBytes(maxBytes);
                return readRange(from, toInclusive, maxBytes);
            }
        }

        @Override
        public void append(List<Entry> entries) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                stageAppend(entries);
            }
        }

        @Override
        public void truncatePrefix(long upToInclusive) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                if (upToInclusive < firstIndex) {
                    return;
                }
                if (upToInclusive > lastIndex) {
                    throw new IllegalArgumentException("cannot truncate up to " + upToInclusive + ": the log ends at "
                            + lastIndex + " (use resetTo to discard the whole log)");
                }
                stageLogStart(upToInclusive + 1, termOf(upToInclusive));
            }
        }

        @Override
        public void resetTo(long index, long term) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkResetTo(index, term);
                try {
                    // keys above the snapshot go now; the ones up to it with the prefix garbage
                    for (long i = lastIndex; i > index && i >= firstIndex; i--) {
                        log.remove(i);
                    }
                    if (index + 1 < firstIndex) {
                        // a snapshot behind the log's start: prefix keys above it go now as well
                        for (long i = Math.max(garbageFrom, index + 1); i < firstIndex; i++) {
                            log.remove(i);
                        }
                        garbageFrom = Math.min(garbageFrom, index + 1);
                    }
                } catch (RuntimeException e) {
                    throw fail("staging a log reset", e);
                }
                stageLogStart(index + 1, term);
                lastIndex = index;
                lastTerm = term;
            }
        }

        @Override
        public void sync() {
            synchronized (MvStoreRaftStorage.this) {
                groupCommit();
            }
        }
    }

    private final class HardStates implements HardStateStore {

        @Override
        public HardState load() {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return hardState;
            }
        }

        @Override
        public void save(HardState hs) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                stageHardState(hs);
                groupCommit();
            }
        }
    }
}
