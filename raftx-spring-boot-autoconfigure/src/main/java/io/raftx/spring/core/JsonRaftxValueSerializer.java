package io.raftx.spring.core;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values as JSON through Jackson 3 ({@code tools.jackson.databind}), which must be on the classpath. Pass the
 * application's {@code JsonMapper} bean to share its modules and settings:
 *
 * <pre>{@code
 * RaftxTemplate<Order> orders = template.withSerializer(new JsonRaftxValueSerializer<>(Order.class, jsonMapper));
 * }</pre>
 *
 * For {@code compareAndSet}, the mapper must write equal objects as equal bytes (the default does for records and
 * beans; enable sorted map keys if values are maps).
 *
 * @param <V> the value type
 */
public final class JsonRaftxValueSerializer<V> implements RaftxValueSerializer<V> {

    private final ObjectMapper mapper;
    private final JavaType type;

    public JsonRaftxValueSerializer(Class<V> type) {
        this(type, JsonMapper.shared());
    }

    public JsonRaftxValueSerializer(Class<V> type, ObjectMapper mapper) {
        this(mapper.constructType(type), mapper);
    }

    /** For generic types, e.g. {@code mapper.getTypeFactory().constructCollectionType(List.class, Order.class)}. */
    public JsonRaftxValueSerializer(JavaType type, ObjectMapper mapper) {
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public byte[] serialize(V value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new RaftxSerializationException("cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public V deserialize(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new RaftxSerializationException("stored value is not JSON for " + type + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
