package io.raftx.spring.integration;

import io.raftx.spring.core.LockNames;
import io.raftx.spring.core.RaftxLockOperations;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.ExpirableLockRegistry;

/**
 * Spring Integration's {@code LockRegistry} over RaftX locks, so that {@code executeLocked}, the
 * {@code LockRegistryLeaderInitiator} and every other user of a lock registry coordinate through the cluster. A key
 * is the lock's name ({@code toString()} of the key object), under its own prefix so it never meets a lock of
 * {@code opsForLocks()}. Leases are renewed by the node while a lock is held, so the registry needs no renewal
 * calls; the renewable variant of the interface is therefore not implemented. Expirable: unused lock objects can be
 * dropped from the local cache.
 */
public class RaftxLockRegistry implements ExpirableLockRegistry<DistributedLock> {

    private final RaftxLockOperations locks;
    private final Duration lease;
    private final Map<String, RaftxRegistryLock> cache = new ConcurrentHashMap<>();

    /** @param lease the lease of locks taken without a TTL: how long a dead holder keeps one */
    public RaftxLockRegistry(RaftxLockOperations locks, Duration lease) {
        this.locks = locks;
        this.lease = lease;
    }

    /**
     * @throws IllegalArgumentException if the key's name is empty, longer than 256 bytes, or not dot-separated
     *                                  segments without {@code *}
     */
    @Override
    public DistributedLock obtain(Object lockKey) {
        String name = LockNames.requireName("lock", String.valueOf(lockKey));
        return cache.computeIfAbsent(name, n -> new RaftxRegistryLock("integration." + n, locks, lease));
    }

    @Override
    public void expireUnusedOlderThan(long age) {
        long before = System.currentTimeMillis() - age;
        cache.values().removeIf(l -> l.unusedSince(before));
    }
}
