package io.raftx.coordination;

import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileWriteResult;
import io.raftx.volatiles.VolatileValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One grant of a {@link DistributedLock}: its fencing token and the lease that keeps it alive. The lease renews
 * itself in the background until {@link #release()} or until it is lost; see {@link DistributedLock} for the
 * guarantees and the fencing-token contract.
 *
 * <p>Thread-safe.
 */
public final class LockLease {

    private static final Logger log = LoggerFactory.getLogger(LockLease.class);

    private final VolatileClient client;
    private final String key;
    private final LockHolder holder;
    private final byte[] holderValue;
    private final long token;
    private final LockOptions options;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final Object lock = new Object();
    // Guarded by lock.
    private long version;
    private long validUntilNanos;
    private boolean ended;

    LockLease(VolatileClient client, String key, LockHolder holder, long token, long sentAtNanos, LockOptions options,
              ScheduledExecutorService scheduler) {
        // A renewal that cannot get through within one renewal interval is tried again rather than waited for.
        this.client = client.withTimeout(options.renewInterval());
        this.key = key;
        this.holder = holder;
        this.holderValue = holder.encode();
        this.token = token;
        this.version = token;
        this.options = options;
        this.scheduler = scheduler;
        this.validUntilNanos = validUntil(sentAtNanos);
    }

    /**
     * The fencing token of this grant: the global volatile op index of the write that granted it. Greater than the
     * token of every earlier grant of this lock. Send it with every use of the protected resource.
     */
    public long fencingToken() {
        return token;
    }

    public String lockName() {
        return key;
    }

    public LockHolder holder() {
        return holder;
    }

    /**
     * True while the holder may act on the lock: not released, not lost, and before the last successful renewal's
     * send time + lease − safety margin. Check it right before each use — and still let the resource check the
     * fencing token, since a pause between the check and the use cannot be ruled out.
     */
    public boolean isValid() {
        synchronized (lock) {
            return !ended && System.nanoTime() - validUntilNanos < 0;
        }
    }

    /** How long the lease stays valid without another renewal (zero once invalid). */
    public Duration remaining() {
        synchronized (lock) {
            long left = validUntilNanos - System.nanoTime();
            return ended || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
        }
    }

    /** Completes with the reason once the lease is lost (not when it is released). */
    public CompletableFuture<String> lost() {
        return lost.copy();
    }

    /**
     * Stops renewing and gives the lock up: the lease is invalid as soon as this is called (before the lock is freed,
     * so the holder is done before anyone else can be granted it), then the key is deleted if it is still this
     * grant's. Completes once the delete's outcome is known; if it fails the lock frees itself after the lease.
     */
    public CompletableFuture<Void> release() {
        long at;
        synchronized (lock) {
            if (ended) {
                return CompletableFuture.completedFuture(null);
            }
            ended = true;
            at = version;
        }
        return client.deleteIfVersion(key, at).thenCompose(r -> r.applied() ? CompletableFuture.completedFuture(null)
                : deleteIfStillMine()).exceptionally(e -> {
                    log.debug("lock {}: release of token {} not confirmed ({}); it expires after its lease", key, token,
                            e.getMessage());
                    return null;
                });
    }

    // ---- renewal ----

    /** Starts renewing: called once, right after the grant. */
    void startRenewing() {
        scheduleRenewal(untilRenewalDue());
    }

    /**
     * A renewal is due when the validity left has shrunk to what remains after one renewal interval, counted back
     * from the validity deadline rather than forward from the answer: a grant or renewal whose request took long
     * (waiting for a leader at start-up) already used part of its lease, and is renewed at once.
     */
    private Duration untilRenewalDue() {
        long spare = options.lease().minus(options.safetyMargin()).minus(options.renewInterval()).toNanos();
        synchronized (lock) {
            return Duration.ofNanos(Math.max(0, validUntilNanos - spare - System.nanoTime()));
        }
    }

    private void scheduleRenewal(Duration delay) {
        scheduler.schedule(this::renew, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void renew() {
        long expected;
        synchronized (lock) {
            if (ended) {
                return;
            }
            if (System.nanoTime() - validUntilNanos >= 0) {
                loseLocked("the lease ran out before a renewal succeeded");
                return;
            }
            expected = version;
        }
        long sentAt = System.nanoTime();
        client.putIfVersion(key, holderValue, options.lease(), expected).whenComplete((r, e) -> {
            if (e != null) {
                scheduleRenewal(options.retryInterval()); // no definite answer: try again while the lease lasts
            } else if (r.applied()) {
                renewed(r, sentAt);
            } else {
                recheck(); // the version moved: our own unknown renewal applied, or the lock is gone
            }
        });
    }

    private void renewed(VolatileWriteResult r, long sentAtNanos) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            version = Math.max(version, r.index());
            if (System.nanoTime() - validUntilNanos >= 0) {
                // Too late: the holder has already seen the lease end and must not be told it is back.
                loseLocked("the lease ran out before a renewal succeeded");
                return;
            }
            // The leader applied the renewal after it was sent, and expires the key no earlier than a lease later.
            validUntilNanos = Math.max(validUntilNanos, validUntil(sentAtNanos));
        }
        scheduleRenewal(untilRenewalDue());
    }

    private void recheck() {
        client.get(key).whenComplete((v, e) -> {
            if (e != null) {
                scheduleRenewal(options.retryInterval());
                return;
            }
            synchronized (lock) {
                if (ended) {
                    return;
                }
                if (isMine(v)) {
                    version = v.get().version(); // a renewal whose outcome we did not learn did apply
                } else {
                    loseLocked("the lock key expired or was taken over");
                    return;
                }
            }
            scheduleRenewal(Duration.ZERO);
        });
    }

    private CompletableFuture<Void> deleteIfStillMine() {
        return client.get(key).thenCompose(v -> isMine(v)
                ? client.deleteIfVersion(key, v.get().version()).thenApply(r -> (Void) null)
                : CompletableFuture.completedFuture(null));
    }

    private boolean isMine(Optional<VolatileValue> v) {
        return v.isPresent() && !v.get().isSet() && Arrays.equals(v.get().bytes(), holderValue);
    }

    private void loseLocked(String why) {
        ended = true;
        log.info("lock {}: lease with token {} lost: {}", key, token, why);
        long at = version;
        // Best effort: frees the lock at once if the key is still this grant's; otherwise it expires on its own.
        client.deleteIfVersion(key, at).exceptionally(e -> null);
        lost.complete(why);
    }

    private long validUntil(long sentAtNanos) {
        return sentAtNanos + options.lease().minus(options.safetyMargin()).toNanos();
    }

    @Override
    public String toString() {
        return "LockLease{" + key + " token=" + token + " holder=" + holder.owner() + (isValid() ? " valid" : " ended")
                + "}";
    }
}
