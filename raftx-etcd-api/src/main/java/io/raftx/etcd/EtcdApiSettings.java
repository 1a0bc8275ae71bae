package io.raftx.etcd;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node serves the etcd API.
 *
 * @param address          client address host:port (port 0: any free port)
 * @param progressInterval how often watches created with {@code progress_notify} get a progress notification
 *                         when they had no events (etcd: 10 minutes)
 * @param maxRequestBytes  largest request accepted (etcd's {@code --max-request-bytes}, 1.5 MiB); larger ones get
 *                         etcd's "request is too large"
 * @param minLeaseTtlSeconds shorter TTLs are raised to this (etcd: about 1.5 election timeouts)
 * @param maxLeaseTtlSeconds longer TTLs are refused with etcd's "too large lease TTL"
 * @param quotaBackendBytes once the node's data passes this size, writes fail with etcd's "database space exceeded"
 *                          and the NOSPACE alarm is raised (etcd's {@code --quota-backend-bytes}, 2 GiB)
 */
public record EtcdApiSettings(String address, Duration progressInterval, int maxRequestBytes, long minLeaseTtlSeconds,
                              long maxLeaseTtlSeconds, long quotaBackendBytes) {

    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    public static final long DEFAULT_MIN_LEASE_TTL_SECONDS = 2;
    /** etcd's MaxLeaseTTL. */
    public static final long DEFAULT_MAX_LEASE_TTL_SECONDS = 9_000_000_000L;
    /** etcd's default backend quota. */
    public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;

    public EtcdApiSettings {
        EtcdAddress.requireValid(address);
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.toMillis() < 1) {
            throw new IllegalArgumentException("etcd API progress interval must be at least 1 ms, got " + progressInterval);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("etcd API max request bytes must be at least 1024, got " + maxRequestBytes);
        }
        if (minLeaseTtlSeconds < 1 || maxLeaseTtlSeconds < minLeaseTtlSeconds) {
            throw new IllegalArgumentException("etcd API lease TTLs need 1 <= min <= max, got min " + minLeaseTtlSeconds
                    + " s, max " + maxLeaseTtlSeconds + " s");
        }
        if (quotaBackendBytes < 1) {
            throw new IllegalArgumentException("etcd API backend quota must be at least 1 byte, got "
                    + quotaBackendBytes);
        }
    }

    public static EtcdApiSettings of(String address) {
        return new EtcdApiSettings(address, DEFAULT_PROGRESS_INTERVAL, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MIN_LEASE_TTL_SECONDS, DEFAULT_MAX_LEASE_TTL_SECONDS, DEFAULT_QUOTA_BACKEND_BYTES);
    }

    public EtcdApiSettings withProgressInterval(Duration interval) {
        return new EtcdApiSettings(address, interval, maxRequestBytes, minLeaseTtlSeconds, maxLeaseTtlSeconds,
                quotaBackendBytes);
    }

    public EtcdApiSettings withMaxRequestBytes(int bytes) {
        return new EtcdApiSettings(address, progressInterval, bytes, minLeaseTtlSeconds, maxLeaseTtlSeconds,
                quotaBackendBytes);
    }

    public EtcdApiSettings withLeaseTtls(long minSeconds, long maxSeconds) {
        return new EtcdApiSettings(address, progressInterval, maxRequestBytes, minSeconds, maxSeconds,
                quotaBackendBytes);
    }

    public EtcdApiSettings withQuotaBackendBytes(long bytes) {
        return new EtcdApiSettings(address, progressInterval, maxRequestBytes, minLeaseTtlSeconds, maxLeaseTtlSeconds,
                bytes);
    }
}
