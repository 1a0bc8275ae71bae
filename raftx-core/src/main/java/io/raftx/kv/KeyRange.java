package io.raftx.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * The keys {@code from <= key < end}, ordered unsigned-lexicographically; {@code end == null} means every key from
 * {@code from} on. (etcd's {@code range_end = "\0"}.) Keeps the arrays it is given; do not modify them afterwards.
 */
public record KeyRange(byte[] from, byte[] end) {

    public KeyRange {
        Objects.requireNonNull(from, "from");
        if (from.length == 0) {
            throw new IllegalArgumentException("a key range starts at a non-empty key");
        }
    }

    /** Every key starting with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return new KeyRange(prefix, end);
            }
        }
        return new KeyRange(prefix, null);
    }

    public boolean contains(byte[] key) {
        return Arrays.compareUnsigned(key, from) >= 0 && (end == null || Arrays.compareUnsigned(key, end) < 0);
    }

    /** True when no key can be in the range ({@code end <= from}). */
    public boolean isEmpty() {
        return end != null && Arrays.compareUnsigned(end, from) <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r && Arrays.equals(from, r.from) && Arrays.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(from) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "[" + ByteKey.describe(from) + ", " + (end == null ? "end of keyspace" : ByteKey.describe(end)) + ")";
    }
}
