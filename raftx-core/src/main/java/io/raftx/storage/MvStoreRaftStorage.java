package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;
import org.h2.mvstore.MVStore;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@link RaftStorage} in one H2 MVStore file.
 *
 * <p><b>Layout.</b> Maps {@code raftx.log.1}, {@code raftx.log.2}, ... ({@link LogSegments}, each
 * {@link Options#segmentEntries()} consecutive entries): entry index (long) to an entry record; map
 * {@code raftx.state}: the hard state, where the log starts, the latest snapshot's meta (its data lives in the
 * node's snapshot store) and the file's format version. Records are written by {@link RecordCodec}, each with its
 * own CRC32C, so a damaged record is reported instead of being handed to the core.
 *
 * <p><b>Durability.</b> The store is opened with auto-commit disabled: MVStore writes nothing on its own. A group
 * commit ({@link LogStore#sync()}, {@link HardStateStore#save}, {@link #persist}) is one {@link MVStore#commit()},
 * which writes one new chunk holding every change since the last one, followed by {@link MVStore#sync()}, which is
 * {@code FileChannel.force(true)} (fsync). A commit is atomic: after a crash, MVStore opens the newest chunk whose
 * header and footer are intact, so a group commit is recovered whole or not at all. Because every commit is fsynced
 * before the next one starts, old chunks may be reused as soon as they hold no live data (retention time 0); every
 * commit also rewrites the file header, so the header never names a chunk that could have been reused
 * ({@link MvStoreFile#commitDurably}).
 *
 * <p><b>Recovery checks.</b> Opening after an unclean shutdown reads and checks every record, so damage is reported
 * at start-up rather than later, and replaces the file by a copy of what was recovered, so that no chunk written
 * after the recovered commit can come back at a later open ({@link MvStoreFile}). Opening also refuses a file that recovered to a version more than one commit older
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
 * ({@link LogStore#truncatePrefix}, {@link LogStore#resetTo}) only records the new start; each following commit removes
 * one segment wholly below it as a map (all of them on close), which MVStore does without reading its pages, and
 * nothing live is copied, so a snapshot's compaction costs the same however long the log was and is spread over the
 * next commits. Keys below the start in the segment that holds it stay until that segment is wholly below the
 * start.
 *
 * <p>Thread-safe: all calls are serialized on one lock. A write or fsync failure closes the storage (see
 * {@link StorageException}).
 *
 * <p>Parts: {@link MvStoreFile} opens and checks the file, {@link MvStoreLog} keeps the log map,
 * {@link MvStoreStateMap} the state map, {@link MvStoreFailure} the failure that closed the storage; this class
 * serializes them on its lock and runs the group commit.
 */
public final class MvStoreRaftStorage implements RaftStorage {

    /**
     * Tuning.
     *
     * @param cacheSizeMb                 MVStore page cache size
     * @param housekeepingIntervalCommits how many group commits between checks of the fill rate
     * @param targetFillRate              percentage of live data in chunks below which sparse chunks are rewritten
     *                                    (1..99); the file stays within roughly twice the live data
     * @param segmentEntries              how many consecutive log entries one segment map holds; a truncated
     *                                    prefix is dropped a whole segment at a time
     */
    public record Options(int cacheSizeMb, int housekeepingIntervalCommits, int targetFillRate,
                          int segmentEntries) {

        public static final Options DEFAULTS = new Options(16, 64, 50, 8192);

        public Options {
            if (cacheSizeMb < 1 || housekeepingIntervalCommits < 1 || targetFillRate < 1 || targetFillRate > 99
                    || segmentEntries < 1) {
                throw new IllegalArgumentException("invalid storage options " + this);
            }
        }
    }

    /** At most this many bytes of live pages are rewritten by one housekeeping round. */
    private static final int HOUSEKEEPING_REWRITE_BYTES = 4 << 20;

    private final Path file;
    private final Options options;
    private final MVStore store;
    private final MvStoreStateMap state;
    private final MvStoreLog log;
    private final MvStoreFailure failure;
    private final Log logView = new Log();
    private final HardStates hardStateView = new HardStates();

    // all guarded by "this", as is everything in state, log and failure
    private int commitsSinceHousekeeping;
    private long commits;
    private boolean closed;

    /** Called by {@link MvStoreFile} once the file is open and its records are loaded. */
    MvStoreRaftStorage(Path file, Options options, MVStore store, MvStoreStateMap state, MvStoreLog log,
                       MvStoreFailure failure) {
        this.file = file;
        this.options = options;
        this.store = store;
        this.state = state;
        this.log = log;
        this.failure = failure;
    }

    /** Opens (creating if needed, with parent directories) the storage file with default {@link Options}. */
    public static MvStoreRaftStorage open(Path file) {
        return open(file, Options.DEFAULTS);
    }

    /** Opens (creating if needed, with parent directories) the storage file. */
    public static MvStoreRaftStorage open(Path file, Options options) {
        return MvStoreFile.open(file, options);
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
        log.stageAppend(entries);
        if (hs != null) {
            state.stageHardState(hs);
        }
        groupCommit();
    }

    /** Staged in the map only: the next group commit ({@link #persist}, a snapshot, close) writes it with the rest. */
    @Override
    public synchronized void stageCommitIndex(HardState hs) {
        ensureOpen();
        LogRules.checkCommitOnly(state.hardState(), hs);
        state.stageHardState(hs);
    }

    @Override
    public synchronized void snapshotTaken(SnapshotMeta meta, long compactUpTo) {
        ensureOpen();
        LogRules.checkCompaction(meta, compactUpTo, log.lastIndex());
        if (compactUpTo >= log.firstIndex()) {
            stageLogStart(compactUpTo + 1, log.termOf(compactUpTo));
        }
        state.stageSnapshot(meta);
        groupCommit();
    }

    @Override
    public synchronized void snapshotInstalled(SnapshotMeta meta) {
        ensureOpen();
        logView.resetTo(meta.index(), meta.term());
        state.stageSnapshot(meta);
        groupCommit();
    }

    @Override
    public synchronized SnapshotMeta snapshot() {
        ensureOpen();
        return state.snapshot();
    }

    @Override
    public synchronized RestoredState recover() {
        ensureOpen();
        List<Entry> entries = log.readRange(log.firstIndex(), log.lastIndex(), Long.MAX_VALUE);
        return LogRules.restoredState(state.hardState(), state.snapshot(), log.firstIndex(), log.prevTerm(), entries,
                "storage file " + file);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (failure.happened()) {
            closed = true;
            return; // the store was closed when it failed
        }
        try {
            log.removeGarbage(Integer.MAX_VALUE); // no write waits on this commit
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
        log.removeGarbage(1);
        if (!store.hasUnsavedChanges()) {
            return;
        }
        try {
            MvStoreFile.commitDurably(store);
            commits++;
        } catch (RuntimeException e) {
            throw failure.fail("write or fsync", e);
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
                    MvStoreFile.commitDurably(store);
                    commits++;
                }
            }
        } catch (RuntimeException e) {
            throw failure.fail("compaction", e);
        }
    }

    private void ensureOpen() {
        failure.rethrowIfFailed();
        if (closed) {
            throw new StorageException("RaftX storage file " + file + " is closed");
        }
    }

    private void stageLogStart(long newFirst, long newPrevTerm) {
        state.stageLogStart(newFirst, newPrevTerm);
        log.startAt(newFirst, newPrevTerm);
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
        return log.storedKeys();
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
                return log.firstIndex();
            }
        }

        @Override
        public long lastIndex() {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return log.lastIndex();
            }
        }

        @Override
        public Entry entry(long index) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkEntryIndex(index, log.firstIndex(), log.lastIndex());
                return log.read(index);
            }
        }

        @Override
        public long term(long index) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                return log.termOf(index);
            }
        }

        @Override
        public List<Entry> entries(long from, long toInclusive, long maxBytes) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkRange(from, toInclusive, log.firstIndex(), log.lastIndex());
                LogRules.checkMaxBytes(maxBytes);
                return log.readRange(from, toInclusive, maxBytes);
            }
        }

        @Override
        public void append(List<Entry> entries) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                log.stageAppend(entries);
            }
        }

        @Override
        public void truncatePrefix(long upToInclusive) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                if (upToInclusive < log.firstIndex()) {
                    return;
                }
                if (upToInclusive > log.lastIndex()) {
                    throw new IllegalArgumentException("cannot truncate up to " + upToInclusive + ": the log ends at "
                            + log.lastIndex() + " (use resetTo to discard the whole log)");
                }
                stageLogStart(upToInclusive + 1, log.termOf(upToInclusive));
            }
        }

        @Override
        public void resetTo(long index, long term) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                LogRules.checkResetTo(index, term);
                log.removeForReset(index);
                state.stageLogStart(index + 1, term);
                log.resetTo(index, term);
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
                return state.hardState();
            }
        }

        @Override
        public void save(HardState hs) {
            synchronized (MvStoreRaftStorage.this) {
                ensureOpen();
                state.stageHardState(hs);
                groupCommit();
            }
        }
    }
}
