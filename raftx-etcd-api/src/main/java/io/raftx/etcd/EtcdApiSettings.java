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
 */
public record EtcdApiSettings(String address, Duration progressInterval, int maxRequestBytes) {

    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;

    public EtcdApiSettings {
        EtcdAddress.requireValid(address);
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.toMillis() < 1) {
            throw new IllegalArgumentException("etcd API progress interval must be at least 1 ms, got " + progressInterval);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("etcd API max request bytes must be at least 1024, got " + maxRequestBytes);
        }
    }

    public static EtcdApiSettings of(String address) {
        return new EtcdApiSettings(address, DEFAULT_PROGRESS_INTERVAL, DEFAULT_MAX_REQUEST_BYTES);
    }

    public EtcdApiSettings withProgressInterval(Duration interval) {
        return new EtcdApiSettings(address, interval, maxRequestBytes);
    }

    public EtcdApiSettings withMaxRequestBytes(int bytes) {
        return new EtcdApiSettings(address, progressInterval, bytes);
    }
}
