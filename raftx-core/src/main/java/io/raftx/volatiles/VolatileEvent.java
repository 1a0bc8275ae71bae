package io.raftx.volatiles;

import java.util.Objects;

/**
 * A change to the volatile keyspace, emitted on every node as it applies ops (in index order) — the volatile side of
 * the watch API. {@code prev} and {@code value} are the key's whole value before and after (null = absent);
 * {@code member} names the member for set operations. {@code volatileData} is always true: it tells these events
 * apart from those of the persistent keyspace once both flow through one watch API.
 *
 * @param cause CLIENT for a client's op, EXPIRED for the leader's TTL expiry, RESYNC for a change this node took
 *              over from an in-memory snapshot (a key whose value differs after the install; {@code type} is then
 *              PUT or DELETE and {@code index} the snapshot's index)
 */
public record VolatileEvent(OpType type, String key, String member, VolatileValue prev, VolatileValue value,
                            long index, long epoch, Cause cause, boolean volatileData) {

    public enum Cause { CLIENT, EXPIRED, RESYNC }

    public VolatileEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cause, "cause");
    }

    static VolatileEvent of(OpType type, String key, String member, VolatileValue prev, VolatileValue value,
                            long index, long epoch, Cause cause) {
        return new VolatileEvent(type, key, member, prev, value, index, epoch, cause, true);
    }
}
