package io.raftx.volatiles;

import java.util.Arrays;
import java.util.Objects;

/**
 * One volatile mutation as a client asks for it. {@code ttlTicks} is the time to live in the leader's logical
 * ticks (0 = no expiry); it applies to the key for {@link OpType#PUT} and to the member for
 * {@link OpType#ADD_TO_SET}.
 *
 * <p>{@code ifVersion} is set only on the expiry operations the leader proposes itself: they take effect only if
 * the key (or member) still carries the version that started its TTL, so a write that raced with the expiry wins.
 * Clients cannot propose such operations.
 */
public record VolatileOp(OpType type, String key, byte[] value, String member, long ttlTicks, long ifVersion) {

    /** Longest key or member accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 4096;

    public VolatileOp {
        Objects.requireNonNull(type, "type");
        requireName("key", key);
        if (type == OpType.PUT) {
            Objects.requireNonNull(value, "value of a PUT");
            value = value.clone();
        } else if (value != null) {
            throw new IllegalArgumentException(type + " carries no value");
        }
        boolean setOp = type == OpType.ADD_TO_SET || type == OpType.REMOVE_FROM_SET;
        if (setOp) {
            requireName("member", member);
        } else if (member != null) {
            throw new IllegalArgumentException(type + " carries no member");
        }
        if (ttlTicks < 0 || (ttlTicks > 0 && type != OpType.PUT && type != OpType.ADD_TO_SET)) {
            throw new IllegalArgumentException("ttlTicks must be >= 0 and only given to PUT or ADD_TO_SET, got "
                    + ttlTicks + " for " + type);
        }
        if (ifVersion < 0 || (ifVersion > 0 && type != OpType.DELETE && type != OpType.REMOVE_FROM_SET)) {
            throw new IllegalArgumentException("ifVersion must be >= 0 and only given to DELETE or REMOVE_FROM_SET");
        }
    }

    public static VolatileOp put(String key, byte[] value, long ttlTicks) {
        return new VolatileOp(OpType.PUT, key, value, null, ttlTicks, 0);
    }

    public static VolatileOp delete(String key) {
        return new VolatileOp(OpType.DELETE, key, null, null, 0, 0);
    }

    public static VolatileOp addToSet(String key, String member, long ttlTicks) {
        return new VolatileOp(OpType.ADD_TO_SET, key, null, member, ttlTicks, 0);
    }

    public static VolatileOp removeFromSet(String key, String member) {
        return new VolatileOp(OpType.REMOVE_FROM_SET, key, null, member, 0, 0);
    }

    /** The leader's expiry of a key whose TTL started with the write at index {@code version}. */
    static VolatileOp expireKey(String key, long version) {
        return new VolatileOp(OpType.DELETE, key, null, null, 0, version);
    }

    /** The leader's expiry of a set member whose TTL started with the write at index {@code version}. */
    static VolatileOp expireMember(String key, String member, long version) {
        return new VolatileOp(OpType.REMOVE_FROM_SET, key, null, member, 0, version);
    }

    /** True for the leader's TTL expiries (conditional on {@link #ifVersion()}). */
    public boolean isExpiry() {
        return ifVersion > 0;
    }

    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    private static void requireName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_NAME_LENGTH + " characters, got "
                    + name.length());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolatileOp other && type == other.type && key.equals(other.key)
                && Arrays.equals(value, other.value) && Objects.equals(member, other.member)
                && ttlTicks == other.ttlTicks && ifVersion == other.ifVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, key, Arrays.hashCode(value), member, ttlTicks, ifVersion);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append(' ').append(key);
        if (member != null) {
            sb.append('[').append(member).append(']');
        }
        if (value != null) {
            sb.append('=').append(value.length).append('B');
        }
        if (ttlTicks > 0) {
            sb.append(" ttl=").append(ttlTicks);
        }
        if (ifVersion > 0) {
            sb.append(" expiry@").append(ifVersion);
        }
        return sb.toString();
    }
}
