package io.raftx.spring.core;

import io.raftx.volatilenode.VolatileConsistency;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The volatile keyspace: memory-only replicated keys with an optional TTL, sequenced by the Raft leader and never
 * written to disk. A write returns once a majority holds it; an acknowledged write survives any failure that leaves
 * a majority running, and is lost when a majority restarts at once. Keys hold a value or a set of members. Reads
 * default to {@link VolatileConsistency#STRONG} (through the leader). TTLs are decided by the leader and replicated,
 * so every node expires a key at the same point of the order.
 *
 * <p>Volatile writes carry no request id: after a {@link RaftxUnknownOutcomeException} a retry may apply twice, so
 * prefer {@link #putIfAbsent} where that matters.
 *
 * @param <V> the value type, converted by the template's serializer
 */
public interface RaftxVolatileOperations<V> {

    /** Sets the key; {@code ttl} null or zero keeps it until deleted. Returns the write's volatile index. */
    long set(String key, V value, Duration ttl);

    /** Sets the key only if it is absent; returns whether it did. */
    boolean putIfAbsent(String key, V value, Duration ttl);

    Optional<V> get(String key);

    Optional<V> get(String key, VolatileConsistency consistency);

    /** Removes the key; returns whether this call removed an existing one. */
    boolean delete(String key);

    /** Adds {@code member} to the set at {@code key}, with its own TTL. */
    void addToSet(String key, String member, Duration ttl);

    void removeFromSet(String key, String member);

    /** The members of the set at {@code key} (empty if absent). */
    Set<String> members(String key, VolatileConsistency consistency);
}
