package io.raftx.volatiles;

import java.util.Arrays;
import java.util.Objects;

/**
 * One volatile mutation as a client asks for it. {@code ttlTicks} is the time to live in the leader's logical
 * ticks (0 = no expiry); it applies to the key for {@link OpType#PUT} and to the member for
 * {@link OpType#ADD_TO_SET}.
 *
 * <p>{@code ifVersion} makes the op conditional, checked when it is applied — at its place in the one order, so
 * identically on every node: 0 = unconditional; {@link #IF_ABSENT} = only if the key (for PUT) or the member (for
 * ADD_TO_SET) does not exist; a positive version = only if the key (PUT, DELETE) or the member (ADD_TO_SET,
 * REMOVE_FROM_SET) still carries that version (the index of the op that last wrote it). An op whose condition does
 * not hold keeps its index but changes nothing; its writer learns so from
 * {@link WriteOutcome.Status#CONDITION_FAILED}. This is what locks are built on (compare-and-set on the version).
 *
 * <p>{@code expiry} marks the leader's own TTL expiries: a DELETE or REMOVE_FROM_SET conditional on the version that
 * started the TTL, so a write that raced with the expiry wins. Clients cannot propose them.
 */
public record VolatileOp(OpType type, String key, byte[] value, String member, long ttlTicks, long ifVersion,
                         boolean expiry) {

    /** Longest key or member accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 4096;

    /** {@link #ifVersion()}: the op applies only if the key (PUT) or member (ADD_TO_SET) does not exist. */
    public static final long IF_ABSENT = -1;

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
        if (ifVersion < IF_ABSENT) {
            throw new IllegalArgumentException("ifVersion must be 0 (unconditional), IF_ABSENT (-1) or a version >= 1,"
                    + " got " + ifVersion);
        }
        if (ifVersion == IF_ABSENT && type != OpType.PUT && type != OpType.ADD_TO_SET) {
            throw new IllegalArgumentException("ifVersion IF_ABSENT is only given to PUT or ADD_TO_SET, not " + type);
        }
        if (expiry && (ifVersion <= 0 || (type != OpType.DELETE && type != OpType.REMOVE_FROM_SET))) {
            throw new IllegalArgumentException("an expiry is a DELETE or REMOVE_FROM_SET with an ifVersion >= 1, got "
                    + type + " with ifVersion " + ifVersion);
        }
    }

    public static VolatileOp put(String key, byte[] value, long ttlTicks) {
        return new VolatileOp(OpType.PUT, key, value, null, ttlTicks, 0, false);
    }

    public static VolatileOp delete(String key) {
        return new VolatileOp(OpType.DELETE, key, null, null, 0, 0, false);
    }

    public static VolatileOp addToSet(String key, String member, long ttlTicks) {
        return new VolatileOp(OpType.ADD_TO_SET, key, null, member, ttlTicks, 0, false);
    }

    public static VolatileOp removeFromSet(String key, String member) {
        return new VolatileOp(OpType.REMOVE_FROM_SET, key, null, member, 0, 0, false);
    }

    /** PUT that applies only if the key does not exist when the op takes its place in the order. */
    public static VolatileOp putIfAbsent(String key, byte[] value, long ttlTicks) {
        return put(key, value, ttlTicks).onlyIfVersion(IF_ABSENT);
    }

    /**
     * This op made conditional on {@code version} (see {@link #ifVersion()}): {@link #IF_ABSENT}, a version >= 1, or
     * 0 to drop the condition.
     */
    public VolatileOp onlyIfVersion(long version) {
        if (expiry) {
            throw new IllegalStateException("an expiry's condition is fixed: " + this);
        }
        return new VolatileOp(type, key, value, member, ttlTicks, version, false);
    }

    /** The leader's expiry of a key whose TTL started with the write at index {@code version}. */
    static VolatileOp expireKey(String key, long version) {
        return new VolatileOp(OpType.DELETE, key, null, null, 0, version, true);
    }

    /** The leader's expiry of a set member whose TTL started with the write at index {@code version}. */
    static VolatileOp expireMember(String key, String member, long version) {
        return new VolatileOp(OpType.REMOVE_FROM_SET, key, null, member, 0, version, true);
    }

    /** True for the leader's TTL expiries (conditional on {@link #ifVersion()}). */
    public boolean isExpiry() {
        return expiry;
    }

    /** True for a client's conditional op: whether it applied is reported as COMMITTED or CONDITION_FAILED. */
    public boolean isConditional() {
        return ifVersion != 0 && !expiry;
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
                && ttlTicks == other.ttlTicks && ifVersion == other.ifVersion && expiry == other.expiry;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, key, Arrays.hashCode(value), member, ttlTicks, ifVersion, expiry);
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
        if (expiry) {
            sb.append(" expiry@").append(ifVersion);
        } else if (ifVersion == IF_ABSENT) {
            sb.append(" if-absent");
        } else if (ifVersion > 0) {
            sb.append(" if@").append(ifVersion);
        }
        return sb.toString();
    }
}
