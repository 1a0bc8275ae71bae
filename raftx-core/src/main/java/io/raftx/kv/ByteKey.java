package io.raftx.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable key: a copy of the bytes, ordered unsigned-lexicographically (like etcd and like UTF-8 string order),
 * so byte arrays can be map keys and prefix scans come out sorted.
 */
public final class ByteKey implements Comparable<ByteKey> {

    private static final int DESCRIBE_LIMIT = 64;

    private final byte[] bytes;
    private final int hash;

    private ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Copies {@code bytes}: later changes to the caller's array do not affect the key. */
    public static ByteKey of(byte[] bytes) {
        return new ByteKey(bytes.clone());
    }

    public static ByteKey of(String utf8) {
        return new ByteKey(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key's bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The key's own array, for this package only: never modified, never handed to callers. */
    byte[] bytesUnsafe() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    public boolean startsWith(byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public int compareTo(ByteKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return describe(bytes);
    }

    /** A short, printable rendering for error messages and logs: quoted UTF-8, cut after 64 bytes. */
    public static String describe(byte[] key) {
        int n = Math.min(key.length, DESCRIBE_LIMIT);
        String text = new String(key, 0, n, StandardCharsets.UTF_8);
        return "'" + text + "'" + (key.length > n ? "... (" + key.length + " bytes)" : "");
    }
}
