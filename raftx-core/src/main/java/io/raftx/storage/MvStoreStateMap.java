package io.raftx.storage;

import io.raftx.raft.HardState;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.MVMap;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code raftx.state} map of an {@link MvStoreRaftStorage}: the file's format version, the hard state, where the
 * log starts and the latest snapshot's meta, each one record. Not thread-safe: the storage calls it under its lock.
 */
final class MvStoreStateMap {

    /** 2: the log in segment maps ({@link LogSegments}). A version-1 file (one log map) is read and upgraded. */
    private static final int FORMAT = 2;
    private static final int FORMAT_ONE_LOG_MAP = 1;
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
        if (format[0] == FORMAT_ONE_LOG_MAP) {
            // staged: the next commit marks the file as version 2, so that a build which reads only version 1 (and
            // would not see the log segments written from now on) refuses it instead of finding an empty log
            writeFormat(state);
        } else if (format[0] != FORMAT) {
            throw new StorageException("RaftX storage file " + file + " has format version " + format[0]
                    + ", this build reads versions " + FORMAT_ONE_LOG_MAP + " and " + FORMAT
                    + ". Use a matching RaftX version.");
        }
        logStart = record(file, KEY_LOG_START, "log start", RecordCodec::decodeLogStart, LogStart.INITIAL);
        hardState = record(file, KEY_HARD_STATE, "hard state", RecordCodec::decodeHardState, HardState.EMPTY);
        snapshot = record(file, KEY_SNAPSHOT, "snapshot", RecordCodec::decodeSnapshotMeta, null);
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(byte[] record) throws CorruptRecordException;
    }

    /** The record under {@code key}, or {@code absent} if there is none; a damaged one is reported by its name. */
    private <T> T record(Path file, String key, String name, Decoder<T> decoder, T absent) {
        byte[] bytes = state.get(key);
        if (bytes == null) {
            return absent;
        }
        try {
            return decoder.decode(bytes);
        } catch (CorruptRecordException e) {
            throw MvStoreFile.corrupt(file, "the " + name + " record is damaged: " + e.getMessage(), null);
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
        stage(KEY_HARD_STATE, () -> RecordCodec.encodeHardState(hs), "staging the hard state");
        hardState = hs;
    }

    void stageSnapshot(SnapshotMeta meta) {
        stage(KEY_SNAPSHOT, () -> RecordCodec.encodeSnapshotMeta(meta), "staging the snapshot record");
        snapshot = meta;
    }

    void stageLogStart(long newFirst, long newPrevTerm) {
        stage(KEY_LOG_START, () -> RecordCodec.encodeLogStart(new LogStart(newFirst, newPrevTerm)),
                "staging a log truncation");
    }

    /** A failure to encode or stage closes the storage, like a failed write (see {@link MvStoreFailure}). */
    private void stage(String key, Supplier<byte[]> record, String what) {
        try {
            state.put(key, record.get());
        } catch (RuntimeException e) {
            throw failure.fail(what, e);
        }
    }
}
