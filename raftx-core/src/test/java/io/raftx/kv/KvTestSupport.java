package io.raftx.kv;

import static org.awaitility.Awaitility.await;

import io.raftx.node.LocalNetwork;
import io.raftx.node.NodeConfig;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared helpers for the KV tests. */
final class KvTestSupport {

    private KvTestSupport() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static NodeConfig fastConfig(String id, List<String> voters) {
        return NodeConfig.of(id, voters).withTick(Duration.ofMillis(10));
    }

    /** Applies commands straight to a state machine, as the runtime would, numbering the log indexes. */
    static final class DirectApply {
        final KvStateMachine sm;
        long index;

        DirectApply(KvStateMachine sm) {
            this.sm = sm;
        }

        TxnResult txn(Txn txn) {
            return KvCodec.decodeResult(sm.apply(++index, KvCodec.encodeTxn(txn)));
        }

        long put(String key, String value) {
            return txn(Txn.builder().then(Op.put(b(key), b(value))).build()).revision();
        }

        long delete(String key) {
            return txn(Txn.builder().then(Op.delete(b(key))).build()).revision();
        }

        byte[] raw(byte[] command) {
            return sm.apply(++index, command);
        }
    }

    /** A one-voter cluster: elects itself quickly; enough to exercise the client end to end. */
    static final class SingleNode implements AutoCloseable {
        final LocalNetwork network = new LocalNetwork();
        final KvStateMachine sm;
        final RaftNode node;
        final KvClient kv;

        SingleNode(KvStateMachine sm, KvLimits limits) {
            this.sm = sm;
            this.node = new RaftNode(fastConfig("n1", List.of("n1")), LocalNetwork.memoryStorage(),
                    network.transport("n1"), sm);
            node.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
            this.kv = new KvClient(node, sm, limits);
        }

        SingleNode() {
            this(new KvStateMachine(), KvLimits.DEFAULTS);
        }

        @Override
        public void close() {
            node.close();
            sm.close();
            network.close();
        }
    }
}
