package io.raftx.kv.watch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One change to one key, produced when a write is applied. All events of one transaction share its revision.
 *
 * <p>The same event instance goes to every matching watcher, so the accessors return copies of the arrays; the
 * {@code ...AsString} helpers decode without copying.
 *
 * @param previousValue the value before the change, null if the key did not exist
 * @param value         the value after the change, null for a DELETE
 * @param volatileKey   whether the key lives in the volatile (memory-only) keyspace; always false for the KV store
 * @param meta          the key's etcd-style metadata around the change, {@link KeyMeta#UNKNOWN} when the source has
 *                      none (volatile keys); not part of equality, which is about the change itself
 */
public record WatchEvent(Type type, byte[] key, byte[] previousValue, byte[] value, long revision,
                         boolean volatileKey, KeyMeta meta) {

    /**
     * @param createRevision      the key's create revision (for a DELETE: of the deleted key)
     * @param version             the key's version after a PUT; for a DELETE the deleted key's last version
     * @param previousModRevision the mod revision of the previous value (0 if the key did not exist)
     */
    public record KeyMeta(long createRevision, long version, long previousModRevision) {
        public static final KeyMeta UNKNOWN = new KeyMeta(0, 0, 0);
    }

    public WatchEvent(Type type, byte[] key, byte[] previousValue, byte[] value, long revision, boolean volatileKey) {
        this(type, key, previousValue, value, revision, volatileKey, KeyMeta.UNKNOWN);
    }

    public enum Type { PUT, DELETE }

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        meta = meta == null ? KeyMeta.UNKNOWN : meta;
    }

    public static WatchEvent put(byte[] key, byte[] previousValue, byte[] value, long revision) {
        return new WatchEvent(Type.PUT, key, previousValue, value, revision, false);
    }

    public static WatchEvent delete(byte[] key, byte[] previousValue, long revision) {
        return new WatchEvent(Type.DELETE, key, previousValue, null, revision, false);
    }

    /** A KV store event with the key's metadata. */
    public static WatchEvent of(Type type, byte[] key, byte[] previousValue, byte[] value, long revision, KeyMeta meta) {
        return new WatchEvent(type, key, previousValue, value, revision, false, meta);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] previousValue() {
        return previousValue == null ? null : previousValue.clone();
    }

    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The previous value as UTF-8, or null. */
    public String previousValueAsString() {
        return previousValue == null ? null : new String(previousValue, StandardCharsets.UTF_8);
    }

    /** The new value as UTF-8, or null. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The key without a copy, for pattern matching inside this package. */
    byte[] keyUnsafe() {
        return key;
    }

    /** The previous value without a copy (or null), for the history's records. */
    byte[] previousValueUnsafe() {
        return previousValue;
    }

    /** The value without a copy (or null), for the history's records. */
    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchEvent e && type == e.type && revision == e.revision && volatileKey == e.volatileKey
                && Arrays.equals(key, e.key) && Arrays.equals(previousValue, e.previousValue)
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, revision, volatileKey, Arrays.hashCode(key), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return type + "@" + revision + " " + keyAsString() + ": " + previousValueAsString() + " -> " + valueAsString()
                + (volatileKey ? " (volatile)" : "");
    }
}
