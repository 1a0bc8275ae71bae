package io.raftx.spring.core;

import io.raftx.node.ReadConsistency;
import java.util.Map;
import java.util.Optional;

/**
 * Strongly consistent key-value operations on the cluster, as implemented by {@link RaftxTemplate}. Writes go
 * through the Raft log (a follower forwards them to the leader) and return once applied on this node; reads default
 * to {@link ReadConsistency#LINEARIZABLE}. Keys are UTF-8 strings (dot-separated segments, so that watch patterns
 * such as {@code ai.**} apply); values are converted by the template's {@link RaftxValueSerializer}.
 *
 * <p>Failures are unchecked {@link RaftxException}s. Other parts of the cluster have their own operations interfaces:
 * {@link #opsForCluster()}, {@link #opsForVolatile()}, {@link #opsForLocks()} and {@link #opsForElection()}.
 *
 * @param <V> the value type
 */
public interface RaftxOperations<V> {

    /** The value, read linearizably: it reflects every write completed before the call. */
    Optional<V> get(String key);

    Optional<V> get(String key, ReadConsistency consistency);

    /** The value with its revisions, for optimistic concurrency. */
    Optional<RaftxEntry<V>> getEntry(String key, ReadConsistency consistency);

    /** Sets the key and returns the revision of the write. */
    long set(String key, V value);

    /** Returns whether the key existed. */
    boolean delete(String key);

    /** Sets the key only if it is absent; returns whether it did. */
    boolean putIfAbsent(String key, V value);

    /** Sets the key only if it exists; returns whether it did. */
    boolean update(String key, V value);

    /**
     * Sets the key to {@code newValue} only if its current value equals {@code expected} (compared as serialized
     * bytes); {@code expected == null} means "only if absent". Returns whether it did.
     */
    boolean compareAndSet(String key, V expected, V newValue);

    /** Every key starting with {@code prefix} ({@code ""} for all), read linearizably, in key order. */
    Map<String, V> scan(String prefix);

    /** At most {@code limit} keys starting with {@code prefix}, in key order. */
    RaftxScan<V> scan(String prefix, int limit, ReadConsistency consistency);

    /** Starts building a multi-key transaction. */
    RaftxTransaction<V> transaction();

    /** The cluster as this node sees it: status, membership changes and leadership transfer. */
    RaftxClusterOperations opsForCluster();

    /** The volatile keyspace: memory-only replicated keys with TTLs, values converted like this template's. */
    RaftxVolatileOperations<V> opsForVolatile();

    /** Distributed locks with fencing tokens. */
    RaftxLockOperations opsForLocks();

    /** Leader election among application instances. */
    RaftxElectionOperations opsForElection();

    /** The same operations, returning futures instead of waiting. */
    AsyncRaftxOperations<V> async();
}
