package io.raftx.spring.core;

/**
 * Converts a template's values to and from the bytes stored in the cluster. Keys are always UTF-8 strings, so that
 * watch patterns such as {@code ai.**} apply to them. Implementations must be thread-safe and deterministic enough
 * that {@code compareAndSet} works: the same value must serialize to the same bytes.
 *
 * @param <V> the value type
 */
public interface RaftxValueSerializer<V> {

    /**
     * @throws RaftxSerializationException (or any runtime exception, which the template wraps in one)
     */
    byte[] serialize(V value);

    V deserialize(byte[] bytes);

    /** UTF-8 text; what {@link StringRaftxTemplate} uses. */
    static RaftxValueSerializer<String> string() {
        return StringRaftxValueSerializer.INSTANCE;
    }

    /** The stored bytes as they are. */
    static RaftxValueSerializer<byte[]> byteArray() {
        return ByteArrayRaftxValueSerializer.INSTANCE;
    }
}
