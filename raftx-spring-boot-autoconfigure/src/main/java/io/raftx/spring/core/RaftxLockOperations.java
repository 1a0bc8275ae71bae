package io.raftx.spring.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Distributed locks with fencing tokens, on the volatile keyspace: {@code raftxTemplate.opsForLocks()}. A lock is
 * held under a lease that this node renews while the lock is held; a holder that dies or is cut off loses it about
 * one lease later, and another instance can take it then, with a greater fencing token. Locks still held when the
 * application context closes are released.
 *
 * <p>Lock names are dot-separated segments (no {@code *}, no empty segment), at most 256
 * bytes of UTF-8. Leases must be at least 10 node ticks. Locks are not reentrant:
 * acquiring a lock this instance already holds fails with an {@link IllegalStateException}. Bad input fails with an
 * {@link IllegalArgumentException} before anything is sent.
 */
public interface RaftxLockOperations {

    /** One attempt: the lock if it was free, empty if another instance holds it. */
    Optional<RaftxLock> tryAcquire(String name, Duration lease);

    /** Tries until the lock is granted or {@code wait} has passed (then empty); wakes up as soon as it is freed. */
    Optional<RaftxLock> tryAcquire(String name, Duration lease, Duration wait);

    /**
     * Like {@link #tryAcquire(String, Duration, Duration)}, failing instead of returning empty.
     *
     * @throws RaftxLockNotAcquiredException if another instance held the lock for the whole wait
     */
    RaftxLock acquire(String name, Duration lease, Duration wait);

    /** {@link #executeLocked(String, Duration, Duration, RaftxLockedCallable)} waiting up to one lease. */
    <T, E extends Throwable> T executeLocked(String name, Duration lease, RaftxLockedCallable<T, E> task) throws E;

    /**
     * Acquires the lock (waiting up to {@code wait}), runs {@code task} with it, and releases it.
     *
     * @throws RaftxLockNotAcquiredException if the lock could not be acquired in time (the task did not run)
     * @throws RaftxLockLostException        if the lock was lost while the task ran (the task's result is dropped:
     *                                       it ran without exclusive access for some of the time)
     */
    <T, E extends Throwable> T executeLocked(String name, Duration lease, Duration wait, RaftxLockedCallable<T, E> task)
            throws E;

    /** Who holds the lock now (a read through the leader), if anyone. */
    Optional<String> holder(String name);

    /** The locks this instance holds now, acquired through these operations. */
    List<RaftxLock> held();
}
