package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RaftStorage} decorator that injects disk faults into group commits (tests only): a write that fails before
 * anything reaches the disk (EIO), a full disk (ENOSPC), an fsync that fails after the data was handed to the OS (so
 * it may or may not be durable), or a commit that stalls. A failed commit closes the storage, as the real one does:
 * every later call fails too, and the node must be restarted on a fresh storage.
 */
public final class FaultyStorage implements RaftStorage {

    public enum Fault {
        /** The write fails before anything is stored (EIO on write). */
        WRITE_FAILS("Input/output error (EIO) writing the log"),
        /** The disk is full (ENOSPC on write); nothing is stored. */
        DISK_FULL("No space left on device (ENOSPC) writing the log"),
        /** The data reached the OS but fsync reported an error: durability unknown. */
        FSYNC_FAILS("Input/output error (EIO) in fsync of the log");

        final String message;

        Fault(String message) {
            this.message = message;
        }
    }

    private final RaftStorage delegate;
    private volatile Fault armed;
    private volatile Duration stall = Duration.ZERO;
    private volatile Duration stallOnce = Duration.ZERO;
    private volatile boolean failed;
    private final AtomicInteger commits = new AtomicInteger();

    public FaultyStorage(RaftStorage delegate) {
        this.delegate = delegate;
    }

    /** The next group commit fails with {@code fault}. */
    public void failNextCommit(Fault fault) {
        armed = fault;
    }

    /** Every group commit takes {@code pause} longer (Duration.ZERO ends the stall). */
    public void stallCommits(Duration pause) {
        stall = pause;
    }

    /** The next group commit takes {@code pause} longer (an fsync that hangs once). */
    public void stallNextCommit(Duration pause) {
        stallOnce = pause;
    }

    public boolean hasFailed() {
        return failed;
    }

    public int commits() {
        return commits.get();
    }

    @Override
    public LogStore log() {
        return delegate.log();
    }

    @Override
    public HardStateStore hardState() {
        return delegate.hardState();
    }

    @Override
    public void persist(HardState hardState, List<Entry> entries) {
        commit(() -> delegate.persist(hardState, entries));
    }

    /** Staged in memory only, no write or fsync of its own: no fault to inject here. */
    @Override
    public void stageCommitIndex(HardState hardState) {
        delegate.stageCommitIndex(hardState);
    }

    @Override
    public void snapshotTaken(SnapshotMeta meta, long compactUpTo) {
        commit(() -> delegate.snapshotTaken(meta, compactUpTo));
    }

    @Override
    public void snapshotInstalled(SnapshotMeta meta) {
        commit(() -> delegate.snapshotInstalled(meta));
    }

    private void commit(Runnable write) {
        if (failed) {
            throw new StorageException("storage closed after an earlier failure (injected)");
        }
        Duration once = stallOnce;
        stallOnce = Duration.ZERO;
        sleep(once.plus(stall));
        Fault fault = armed;
        armed = null;
        if (fault == Fault.FSYNC_FAILS) {
            write.run(); // handed to the OS; the fsync then fails
        }
        if (fault != null) {
            failed = true;
            delegate.close();
            throw new StorageException(fault.message + " (injected)");
        }
        write.run();
        commits.incrementAndGet();
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public SnapshotMeta snapshot() {
        return delegate.snapshot();
    }

    @Override
    public RestoredState recover() {
        return delegate.recover();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
