package io.raftx.spring.core;

import java.nio.charset.StandardCharsets;

/** Values as UTF-8 text. */
public final class StringRaftxValueSerializer implements RaftxValueSerializer<String> {

    static final StringRaftxValueSerializer INSTANCE = new StringRaftxValueSerializer();

    @Override
    public byte[] serialize(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String deserialize(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
