package io.raftx.storage;

import io.raftx.raft.HardState;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.MVMap;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code raftx.state} map of an {@link MvStoreRaftStorage}: the file's format version, the hard state, where the
 * log starts and the latest snapshot's meta, each one record. Not thread-safe: the storage calls it under its lock.
 */
final class MvStoreStateMap {

    private static final int FORMAT = 1;
    private static final String KEY_FORMAT = "format";
    private static final String KEY_HARD_STATE = "hardState";
    private static final String KEY_LOG_START = "logStart";
    private static final String KEY_SNAPSHOT = "snapshot";

    private final MVMap<String, byte[]> state;
    private final MvStoreFailure failure;
    private final LogStart logStart;
    private HardState hardState;
    private SnapshotMeta snapshot;

    /** Reads and checks the records; a damaged one is reported with what it was. */
    MvStoreStateMap(Path file, MVMap<String, byte[]> state, MvStoreFailure failure) {
        this.state = state;
        this.failure = failure;
        byte[] format = state.get(KEY_FORMAT);
        if (format == null || format.length != 1) {
            throw MvStoreFile.corrupt(file, "the format marker is missing", null);
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
                throw MvStoreFile.corrupt(file, "the log start record is damaged: " + e.getMessage(), null);
            }
        }
        logStart = start;
        byte[] hsRecord = state.get(KEY_HARD_STATE);
        try {
            hardState = hsRecord == null ? HardState.EMPTY : RecordCodec.decodeHardState(hsRecord);
        } catch (CorruptRecordException e) {
            throw MvStoreFile.corrupt(file, "the hard state record is damaged: " + e.getMessage(), null);
        }
        byte[] snapshotRecord = state.get(KEY_SNAPSHOT);
        try {
            snapshot = snapshotRecord == null ? null : RecordCodec.decodeSnapshotMeta(snapshotRecord);
        } catch (CorruptRecordException e) {
            throw MvStoreFile.corrupt(file, "the snapshot record is damaged: " + e.getMessage(), null);
        }
    }

    /** Marks a new file as RaftX storage of this format. */
    static void writeFormat(MVMap<String, byte[]> state) {
        state.put(KEY_FORMAT, new byte[]{FORMAT});
    }

    /** Where the log started when the file was opened (the log keeps track of it from then on). */
    LogStart logStart() {
        return logStart;
    }

    HardState hardState() {
        return hardState;
    }

    SnapshotMeta snapshot() {
        return snapshot;
    }

    void stageHardState(HardState hs) {
        Objects.requireNonNull(hs, "hardState");
        try {
            state.put(KEY_HARD_STATE, RecordCodec.encodeHardState(hs));
        } catch (RuntimeException e) {
            throw failure.fail("staging the hard state", e);
        }
        hardState = hs;
    }

    void stageSnapshot(SnapshotMeta meta) {
        try {
            state.put(KEY_SNAPSHOT, RecordCodec.encodeSnapshotMeta(meta));
        } catch (RuntimeException e) {
            throw failure.fail("staging the snapshot record", e);
        }
        snapshot = meta;
    }

    void stageLogStart(long newFirst, long newPrevTerm) {
        try {
            state.put(KEY_LOG_START, RecordCodec.encodeLogStart(new LogStart(newFirst, newPrevTerm)));
        } catch (RuntimeException e) {
            throw failure.fail("staging a log truncation", e);
        }
    }
}
