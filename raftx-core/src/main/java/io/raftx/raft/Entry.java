package io.raftx.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry. {@code data} is opaque to the core; the runtime and state machine decide its encoding.
 * Entries are immutable once created; {@code data} must not be modified after it is handed to the core.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
        if (term < 1 || index < 1) {
            throw new IllegalArgumentException("entry term and index start at 1, got term=" + term + " index=" + index);
        }
    }

    public static Entry noop(long term, long index) {
        return new Entry(term, index, EntryType.NOOP, EMPTY);
    }

    /** Payload size used for batching limits. */
    public int sizeBytes() {
        return data.length + 24;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Entry{" + index + "@" + term + " " + type + " " + data.length + "B}";
    }
}
