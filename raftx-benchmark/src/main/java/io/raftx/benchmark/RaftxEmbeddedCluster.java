package io.raftx.benchmark;

import io.raftx.node.GrpcPorts;
import io.raftx.node.NodeConfig;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An embedded RaftX cluster: N nodes in this JVM, each with its own MVStore file (fsynced group commits) and a gRPC
 * transport on loopback. Clients call the nodes in-process (proposals are spread over all nodes; followers forward
 * to the leader over gRPC), so there is no client RPC hop, unlike the etcd run.
 */
final class RaftxEmbeddedCluster implements LoadTarget {

    /** A minimal KV: command = keyLength(4) key value. */
    static final class MapMachine implements StateMachine {
        final Map<ByteBuffer, byte[]> data = new HashMap<>();

        @Override
        public byte[] apply(long index, byte[] command) {
            ByteBuffer b = ByteBuffer.wrap(command);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            byte[] value = new byte[b.remaining()];
            b.get(value);
            data.put(ByteBuffer.wrap(key), value);
            return new byte[0];
        }
    }

    private final List<RaftNode> nodes = new ArrayList<>();
    private final List<MapMachine> machines = new ArrayList<>();

    static RaftxEmbeddedCluster start(int size, Path dir) throws Exception {
        RaftxEmbeddedCluster c = new RaftxEmbeddedCluster();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            addresses.put("n" + i, "127.0.0.1:" + GrpcPorts.free());
        }
        List<String> ids = List.copyOf(addresses.keySet());
        for (String id : ids) {
            Path data = Files.createDirectories(dir.resolve(id));
            int port = Integer.parseInt(addresses.get(id).substring(addresses.get(id).indexOf(':') + 1));
            GrpcTransport transport = new GrpcTransport(TransportConfig.builder(id, "benchmark-token-0123456789")
                    .bind("127.0.0.1", port).build());
            transport.updatePeers(addresses);
            MapMachine sm = new MapMachine();
            RaftNode node = new RaftNode(NodeConfig.of(id, ids), MvStoreRaftStorage.open(data.resolve("raft.mv")),
                    transport, sm);
            c.nodes.add(node);
            c.machines.add(sm);
            node.start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (c.nodes.stream().noneMatch(n -> n.status().role() == Role.LEADER)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within 30 s");
            }
            Thread.sleep(20);
        }
        return c;
    }

    private RaftNode node(long i) {
        if (Boolean.getBoolean("bench.leaderOnly")) {
            return nodes.stream().filter(n -> n.status().role() == Role.LEADER).findFirst().orElse(nodes.get(0));
        }
        return nodes.get((int) (i % nodes.size()));
    }

    @Override
    public CompletableFuture<?> put(long i, byte[] key, byte[] value) {
        byte[] cmd = ByteBuffer.allocate(4 + key.length + value.length).putInt(key.length).put(key).put(value).array();
        return node(i).propose(cmd);
    }

    @Override
    public CompletableFuture<?> get(long i, byte[] key, boolean serializable) {
        MapMachine sm = machines.get((int) (i % nodes.size()));
        byte[] k = Arrays.copyOf(key, key.length);
        return node(i).read(serializable ? ReadConsistency.LOCAL : ReadConsistency.LINEARIZABLE,
                () -> sm.data.get(ByteBuffer.wrap(k)));
    }

    @Override
    public void close() {
        nodes.forEach(RaftNode::close);
    }
}
