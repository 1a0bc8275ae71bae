package io.raftx.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key's current value and its etcd-style metadata.
 *
 * <p>The record keeps the arrays it was built with (the store never mutates them); the accessors hand out copies so
 * no caller can change the store's or another caller's data.
 *
 * @param createRevision revision of the write that created the key (since its last delete)
 * @param modRevision    revision of the last write to the key
 * @param version        number of writes since the key was created (1 after the creating put)
 * @param lease          the lease the key is attached to (deleted when it ends), 0 for none
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version) {
        this(key, value, createRevision, modRevision, version, 0);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Package access to the value without a copy (codec, store). */
    byte[] valueUnsafe() {
        return value;
    }

    byte[] keyUnsafe() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && createRevision == kv.createRevision && modRevision == kv.modRevision
                && version == kv.version && lease == kv.lease && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + ByteKey.describe(key) + " = " + ByteKey.describe(value) + ", create=" + createRevision
                + ", mod=" + modRevision + ", version=" + version + (lease == 0 ? "" : ", lease=" + lease) + "]";
    }
}
