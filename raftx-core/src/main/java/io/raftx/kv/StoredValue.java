package io.raftx.kv;

/** What the store keeps per key. The value array is never modified once stored. */
record StoredValue(byte[] value, long createRevision, long modRevision, long version) {

    KeyValue toKeyValue(ByteKey key) {
        return new KeyValue(key.bytesUnsafe(), value, createRevision, modRevision, version);
    }
}
