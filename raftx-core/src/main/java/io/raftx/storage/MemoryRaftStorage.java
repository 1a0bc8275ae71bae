package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;

import java.util.List;
import java.util.Objects;

/**
 * A {@link RaftStorage} in memory, for tests and the simulator. To simulate a node restart, keep the
 * {@link MemoryLogStore} and {@link MemoryHardStateStore} and build a new storage over them: everything persisted
 * before the "crash" is there. {@link #close()} keeps the data.
 */
public final class MemoryRaftStorage implements RaftStorage {

    private final MemoryLogStore log;
    private final MemoryHardStateStore hardState;

    public MemoryRaftStorage() {
        this(new MemoryLogStore(), new MemoryHardStateStore());
    }

    public MemoryRaftStorage(MemoryLogStore log, MemoryHardStateStore hardState) {
        this.log = Objects.requireNonNull(log, "log");
        this.hardState = Objects.requireNonNull(hardState, "hardState");
    }

    @Override
    public MemoryLogStore log() {
        return log;
    }

    @Override
    public MemoryHardStateStore hardState() {
        return hardState;
    }

    @Override
    public void persist(HardState hs, List<Entry> entries) {
        synchronized (log) {
            log.append(entries);
            if (hs != null) {
                hardState.save(hs);
            }
        }
    }

    /** In memory nothing is synced anyway: the same as {@link #persist} with no entries. */
    @Override
    public void stageCommitIndex(HardState hs) {
        synchronized (log) {
            LogRules.checkCommitOnly(hardState.load(), hs);
            hardState.save(hs);
        }
    }

    @Override
    public void snapshotTaken(SnapshotMeta meta, long compactUpTo) {
        synchronized (log) {
            LogRules.checkCompaction(meta, compactUpTo, log.lastIndex());
            log.truncatePrefix(compactUpTo);
            log.recordSnapshot(meta);
        }
    }

    @Override
    public void snapshotInstalled(SnapshotMeta meta) {
        synchronized (log) {
            log.resetTo(meta.index(), meta.term());
            log.recordSnapshot(meta);
        }
    }

    @Override
    public SnapshotMeta snapshot() {
        synchronized (log) {
            return log.snapshot();
        }
    }

    @Override
    public RestoredState recover() {
        synchronized (log) {
            long first = log.firstIndex();
            List<Entry> entries = log.entries(first, log.lastIndex());
            return LogRules.restoredState(hardState.load(), log.snapshot(), first, log.term(first - 1), entries,
                    "in-memory storage");
        }
    }

    @Override
    public void close() {
        // the data stays, so that a restart can be simulated
    }
}
