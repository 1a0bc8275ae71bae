package io.raftx.spring.core;

import io.raftx.coordination.LockLease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A distributed lock held by this instance, from {@link RaftxLockOperations}: its fencing token, and a lease the
 * node renews in the background until {@link #release()} or until it is lost. Use it in try-with-resources:
 * {@link #close()} releases it if still held.
 *
 * <p>The fencing token is greater than the token of every earlier holder of the same lock. A lease alone cannot
 * protect a resource from a holder that was paused (GC, swapping) past its lease: send the token with every change
 * and let the resource refuse a token lower than the highest it has seen.
 */
public final class RaftxLock implements AutoCloseable {

    private final String name;
    private final LockLease lease;
    private final Duration releaseTimeout;
    private final Consumer<RaftxLock> onEnd;

    RaftxLock(String name, LockLease lease, Duration releaseTimeout, Consumer<RaftxLock> onEnd) {
        this.name = name;
        this.lease = lease;
        this.releaseTimeout = releaseTimeout;
        this.onEnd = onEnd;
    }

    /** The lock's name, as given to {@link RaftxLockOperations}. */
    public String name() {
        return name;
    }

    /** Who holds it, as other instances see it ({@code raftx.node-id} by default). */
    public String owner() {
        return lease.holder().owner();
    }

    /** Greater than the token of every earlier grant of this lock, on any instance. */
    public long fencingToken() {
        return lease.fencingToken();
    }

    /**
     * True while the lease is valid: not released, not lost, and within the lease since the last renewal that got
     * through. Check it right before each protected action (and still pass the fencing token).
     */
    public boolean isValid() {
        return lease.isValid();
    }

    /** How long the lease stays valid without another renewal (zero once it is not). */
    public Duration remaining() {
        return lease.remaining();
    }

    /** Completes with the reason if the lock is lost (lease ran out, key taken over); never on release. */
    public CompletableFuture<String> lost() {
        return lease.lost();
    }

    /** Runs {@code callback} with the reason if the lock is lost; on a lock-timer thread, so it must not block. */
    public RaftxLock onLost(Consumer<String> callback) {
        lease.lost().thenAccept(callback);
        return this;
    }

    /**
     * Gives the lock up: the lease is invalid at once, then the lock key is deleted so that a waiting instance gets
     * it without waiting for the lease to run out (if the delete does not get through, it does run out).
     *
     * @throws IllegalStateException if this instance no longer holds it (released before, or lost); nothing is
     *                               changed then
     */
    public void release() {
        if (!lease.isValid()) {
            throw new IllegalStateException("lock '" + name + "' (token " + fencingToken() + ") is not held by this"
                    + " instance any more: " + lease.lost().getNow("it was released or its lease ran out")
                    + "; acquire it again");
        }
        end();
    }

    /** Releases the lock if still held; does nothing otherwise. */
    @Override
    public void close() {
        if (lease.isValid()) {
            end();
        }
    }

    private void end() {
        CompletableFuture<Void> released = lease.release();
        onEnd.accept(this);
        try {
            released.get(releaseTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The lease is already invalid here; the key frees itself when it runs out.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RaftxLock{" + name + " token=" + fencingToken() + " owner=" + owner()
                + (isValid() ? " held" : " not held") + "}";
    }
}
