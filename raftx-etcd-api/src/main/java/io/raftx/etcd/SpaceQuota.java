package io.raftx.etcd;

import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.ProclaimRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.lock.LockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * etcd's backend quota and its NOSPACE alarm, for this node. When the node's data passes the quota, the write that
 * notices it fails with etcd's "database space exceeded" and the alarm is raised; from then on every write that
 * adds data (puts, transactions with a put, lease grants) fails the same way, while reads and deletes go on, until
 * an operator deactivates the alarm. A deactivated alarm is raised again by the next write if the data is still
 * over the quota, as in etcd.
 *
 * <p>Unlike etcd's, the alarm is not replicated: each node measures its own data directory and raises its own.
 * As an interceptor it refuses such requests before any service sees them.
 */
final class SpaceQuota extends MessageCheck {

    /** Measuring walks the data directory: at most this often, not on every write. */
    private static final long MEASURE_EVERY_NANOS = 500_000_000L;

    private final LongSupplier storageBytes;
    private final long quotaBytes;
    private final LongSupplier clock;
    private volatile boolean alarmed;
    private volatile long measured;
    private volatile long measuredAt;

    SpaceQuota(LongSupplier storageBytes, long quotaBytes, LongSupplier nanoClock) {
        this.storageBytes = storageBytes;
        this.quotaBytes = quotaBytes;
        this.clock = nanoClock;
        this.measuredAt = nanoClock.getAsLong() - MEASURE_EVERY_NANOS;
    }

    /** Throws etcd's RESOURCE_EXHAUSTED "database space exceeded" if a write that adds data must be refused. */
    void checkWrite() {
        if (alarmed || size() > quotaBytes) {
            alarmed = true;
            throw EtcdErrors.noSpace();
        }
    }

    @Override
    Status refusal(Object message) {
        if (addsData(message)) {
            try {
                checkWrite();
            } catch (StatusRuntimeException e) {
                return e.getStatus();
            }
        }
        return null;
    }

    /** The requests etcd's quota applies to: those that can write a key or a lease. */
    private static boolean addsData(Object message) {
        return message instanceof PutRequest || message instanceof LeaseGrantRequest
                || message instanceof LockRequest || message instanceof CampaignRequest
                || message instanceof ProclaimRequest
                || message instanceof TxnRequest t && (hasPut(t.getSuccessList()) || hasPut(t.getFailureList()));
    }

    private static boolean hasPut(List<RequestOp> ops) {
        return ops.stream().anyMatch(op -> op.hasRequestPut() || op.hasRequestTxn());
    }

    boolean alarmed() {
        return alarmed;
    }

    void activate() {
        alarmed = true;
    }

    void deactivate() {
        alarmed = false;
    }

    private long size() {
        long now = clock.getAsLong();
        if (now - measuredAt >= MEASURE_EVERY_NANOS) {
            measured = storageBytes.getAsLong();
            measuredAt = now;
        }
        return measured;
    }
}
