package io.raftx.kv;

/** What the store keeps per key. The value array is never modified once stored. */
record StoredValue(byte[] value, long createRevision, long modRevision, long version, long lease) {

    StoredValue(byte[] value, long createRevision, long modRevision, long version) {
        this(value, createRevision, modRevision, version, 0);
    }

    KeyValue toKeyValue(ByteKey key) {
        return new KeyValue(key.bytesUnsafe(), value, createRevision, modRevision, version, lease);
    }
}
