package io.raftx.spring.integration;

import io.raftx.spring.core.RaftxLock;
import io.raftx.spring.core.RaftxLockOperations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * One lock of a {@link RaftxLockRegistry}: a local {@link ReentrantLock} that orders the threads of this instance,
 * and behind it a RaftX lock held while the local one is. Reentrant for the thread holding it, as Spring
 * Integration's lock registries are (its leader initiator relies on that); a reentrant {@code tryLock} checks that
 * the RaftX lock is still held, and takes it again if it was lost.
 */
public final class RaftxRegistryLock implements DistributedLock {

    /** Pause before trying again after a transient failure (no leader for a moment). */
    private static final long RETRY_PAUSE_MS = 50;

    private final String name;
    private final RaftxLockOperations locks;
    private final Duration defaultLease;
    private final ReentrantLock local = new ReentrantLock();
    // Guarded by local.
    private RaftxLock held;
    private volatile long lastUsedMillis = System.currentTimeMillis();

    RaftxRegistryLock(String name, RaftxLockOperations locks, Duration defaultLease) {
        this.name = name;
        this.locks = locks;
        this.defaultLease = defaultLease;
    }

    String name() {
        return name;
    }

    boolean unusedSince(long millis) {
        return !local.isLocked() && lastUsedMillis < millis;
    }

    /** The fencing token of the RaftX lock while the calling thread holds this lock: pass it to what the lock guards. */
    public Optional<Long> fencingToken() {
        return local.isHeldByCurrentThread() && held != null ? Optional.of(held.fencingToken()) : Optional.empty();
    }

    @Override
    public void lock() {
        lock(defaultLease);
    }

    @Override
    public void lock(Duration ttl) {
        boolean interrupted = false;
        while (true) {
            try {
                lockInterruptibly(ttl);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lockInterruptibly(defaultLease);
    }

    private void lockInterruptibly(Duration ttl) throws InterruptedException {
        local.lockInterruptibly();
        try {
            while (!acquired(ttl, ttl)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock() {
        try {
            return tryLock(Duration.ZERO, defaultLease);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(Duration.ofNanos(unit.toNanos(time)), defaultLease);
    }

    @Override
    public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
        long deadline = System.nanoTime() + waitTime.toNanos();
        if (!local.tryLock(waitTime.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            do {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (acquired(ttl, left)) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } while (System.nanoTime() - deadline < 0);
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
        local.unlock();
        return false;
    }

    /** With the local lock held: true once the RaftX lock is held (again); transient failures count as not yet. */
    private boolean acquired(Duration ttl, Duration wait) throws InterruptedException {
        lastUsedMillis = System.currentTimeMillis();
        if (held != null && held.isValid()) {
            return true;
        }
        held = null;
        try {
            Optional<RaftxLock> got = wait.isZero() ? locks.tryAcquire(name, ttl) : locks.tryAcquire(name, ttl, wait);
            held = got.orElse(null);
            return got.isPresent();
        } catch (TransientDataAccessException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while acquiring lock '" + name + "'");
            }
            Thread.sleep(RETRY_PAUSE_MS);
            return false;
        }
    }

    /**
     * @throws IllegalStateException if the calling thread does not hold the lock, or if the RaftX lock was lost while
     *                               held (the local lock is released all the same)
     */
    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalStateException("lock '" + name + "' is not held by thread "
                    + Thread.currentThread().getName() + "; only the thread that locked it may unlock it");
        }
        lastUsedMillis = System.currentTimeMillis();
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        RaftxLock raftx = held;
        held = null;
        try {
            if (raftx != null) {
                raftx.release(); // IllegalStateException if it was lost: the caller must know
            }
        } finally {
            local.unlock();
        }
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a RaftX lock has no conditions: it is shared between instances");
    }

    @Override
    public String toString() {
        return "RaftxRegistryLock{" + name + (local.isLocked() ? " locked" : "") + "}";
    }
}
