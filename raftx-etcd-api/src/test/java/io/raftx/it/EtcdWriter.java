package io.raftx.it;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client thread writing fresh keys {@code w<writer>-<seq>} (value = key) through the etcd Put API until stopped.
 * It stays with one node while that works and moves to the next one on an error, so its writes reach the leader
 * directly and through followers' forwarding.
 *
 * <p>A key is written once and never retried: the etcd API carries no request id, so a retry of a write whose
 * outcome is unknown could be applied twice, and a double apply is exactly what the test looks for (a key's
 * version counts its writes).
 */
final class EtcdWriter implements Runnable {

    private static final Duration DEADLINE = Duration.ofSeconds(6);
    /** Pause after an error so a writer facing a dead node does not spin. */
    private static final long BACKOFF_MILLIS = 20;

    private final int writerId;
    private final ProcessCluster cluster;
    private final WriteLedger ledger;
    private final AtomicBoolean stop;

    EtcdWriter(int writerId, ProcessCluster cluster, WriteLedger ledger, AtomicBoolean stop) {
        this.writerId = writerId;
        this.cluster = cluster;
        this.ledger = ledger;
        this.stop = stop;
    }

    @Override
    public void run() {
        List<String> ids = cluster.ids();
        int target = writerId % ids.size();
        for (long seq = 0; !stop.get(); seq++) {
            String key = "w" + writerId + "-" + seq;
            ByteString bytes = ByteString.copyFrom(key, StandardCharsets.UTF_8);
            ledger.attempting(key);
            try {
                cluster.kv(ids.get(target)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .put(PutRequest.newBuilder().setKey(bytes).setValue(bytes).build());
                ledger.acknowledged(key);
            } catch (StatusRuntimeException e) {
                ledger.failed(key, e.getStatus());
                target = (target + 1) % ids.size();
                try {
                    Thread.sleep(BACKOFF_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
