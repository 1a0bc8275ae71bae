package io.raftx.it;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client thread writing fresh keys {@code <prefix><writer>-<seq>} (value = key) until stopped, each recorded in a
 * {@link WriteLedger}. It stays with one node while that works and moves to another current member on an error, so
 * its writes reach the leader directly and through followers' forwarding.
 *
 * <p>A key is written once and never retried: the etcd API carries no request id, so a retry of a write whose
 * outcome is unknown could be applied twice, and a double apply is exactly what the durable check looks for (a
 * key's version counts its writes).
 */
final class LedgerWriter implements Runnable {

    /** Writes {@code key} with value {@code key} through node {@code node}; throws on any error. */
    interface KeyPut {
        void put(String node, String key);
    }

    /** Pause after an error so a writer facing a dead node does not spin. */
    private static final long BACKOFF_MILLIS = 20;

    private final String prefix;
    private final int writerId;
    private final ProcessCluster cluster;
    private final KeyPut put;
    private final WriteLedger ledger;
    private final AtomicBoolean stop;

    LedgerWriter(String prefix, int writerId, ProcessCluster cluster, KeyPut put, WriteLedger ledger,
                 AtomicBoolean stop) {
        this.prefix = prefix;
        this.writerId = writerId;
        this.cluster = cluster;
        this.put = put;
        this.ledger = ledger;
        this.stop = stop;
    }

    @Override
    public void run() {
        int target = writerId;
        for (long seq = 0; !stop.get(); seq++) {
            List<String> ids = cluster.ids();
            String node = ids.get(Math.floorMod(target, ids.size()));
            String key = prefix + writerId + "-" + seq;
            ledger.attempting(key);
            try {
                put.put(node, key);
                ledger.acknowledged(key);
            } catch (StatusRuntimeException e) {
                ledger.failed(key, e.getStatus());
                target++;
                try {
                    Thread.sleep(BACKOFF_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
