package io.raftx.coordination;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of a {@link DistributedLock}.
 *
 * @param lease         the lock key's TTL: the leader deletes it this long after the last grant or renewal it
 *                      applied, so a dead holder's lock frees itself after at most about this long
 * @param renewInterval how often a holder renews (restarts the TTL); well below {@code lease} so that a renewal
 *                      or two may fail (leader failover) without losing the lock
 * @param safetyMargin  how much earlier than the leader's expiry a holder stops trusting its lease: covers the
 *                      difference in clock rates between the holder's node and the leader over one lease
 * @param retryInterval how often a waiting {@code tryAcquire(timeout)} tries again (it also wakes up at once when
 *                      this node sees the lock key deleted)
 */
public record LockOptions(Duration lease, Duration renewInterval, Duration safetyMargin, Duration retryInterval) {

    public LockOptions {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(retryInterval, "retryInterval");
        if (lease.isNegative() || lease.isZero() || renewInterval.isNegative() || renewInterval.isZero()
                || safetyMargin.isNegative() || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("lock durations must be positive (the margin may be zero): " + this);
        }
        if (renewInterval.plus(safetyMargin).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("renewInterval (" + renewInterval + ") plus safetyMargin ("
                    + safetyMargin + ") must be shorter than the lease (" + lease + "), or a holder would lose the"
                    + " lock between two renewals");
        }
    }

    /** Renew every third of the lease, stop trusting it a tenth early, retry every 50 ms to a quarter lease. */
    public static LockOptions ofLease(Duration lease) {
        Duration retry = lease.dividedBy(4);
        return new LockOptions(lease, lease.dividedBy(3), lease.dividedBy(10),
                retry.compareTo(Duration.ofMillis(50)) > 0 ? Duration.ofMillis(50) : retry);
    }

    /** A 10 s lease. */
    public static LockOptions defaults() {
        return ofLease(Duration.ofSeconds(10));
    }
}
