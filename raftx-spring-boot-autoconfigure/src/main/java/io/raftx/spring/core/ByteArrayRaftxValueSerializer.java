package io.raftx.spring.core;

/** Values as raw bytes; the arrays are copied by the KV client, so callers may reuse theirs. */
public final class ByteArrayRaftxValueSerializer implements RaftxValueSerializer<byte[]> {

    static final ByteArrayRaftxValueSerializer INSTANCE = new ByteArrayRaftxValueSerializer();

    @Override
    public byte[] serialize(byte[] value) {
        return value;
    }

    @Override
    public byte[] deserialize(byte[] bytes) {
        return bytes;
    }
}
