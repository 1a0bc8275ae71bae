package io.raftx.etcd;

import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.watch.WatchHub;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The etcd v3 {@code etcdserverpb.Watch} service over this node's KV watch hub: every node serves watches from its
 * own applied state. Each bidirectional stream is an {@link EtcdWatchStream}; this class owns the timer that sends
 * progress notifications to watches created with {@code progress_notify}.
 */
final class EtcdWatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {

    private final WatchHub hub;
    private final EtcdHeaders headers;
    private final Set<EtcdWatchStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raftx-etcd-watch-progress");
        t.setDaemon(true);
        return t;
    });

    EtcdWatchService(WatchHub hub, EtcdHeaders headers, Duration progressInterval) {
        this.hub = hub;
        this.headers = headers;
        long ms = progressInterval.toMillis();
        timer.scheduleAtFixedRate(() -> streams.forEach(EtcdWatchStream::notifyProgress), ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
        EtcdWatchStream stream = new EtcdWatchStream(hub, headers, out, streams::remove);
        streams.add(stream);
        return stream;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        streams.forEach(EtcdWatchStream::onCompleted);
    }
}
