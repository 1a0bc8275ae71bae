package io.raftx.node;

import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** N RaftNodes in one JVM talking real gRPC over loopback; nodes can be stopped and restarted on their storage. */
final class GrpcTestCluster implements AutoCloseable {

    static final String TOKEN = "test-cluster-token-0123456789";

    final List<String> ids = new ArrayList<>();
    final Map<String, String> addresses = new LinkedHashMap<>();
    final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    final Map<String, StateMachine> machines = new LinkedHashMap<>();
    private final Map<String, RaftStorage> storages = new LinkedHashMap<>();
    private final Function<String, RaftStorage> storageFactory;
    private final Supplier<StateMachine> machineFactory;

    GrpcTestCluster(int size, Function<String, RaftStorage> storageFactory, Supplier<StateMachine> machineFactory) {
        this.storageFactory = storageFactory;
        this.machineFactory = machineFactory;
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            ids.add(id);
            addresses.put(id, "127.0.0.1:" + freePort());
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startAll() {
        ids.forEach(this::start);
    }

    void start(String id) {
        RaftStorage storage = storages.computeIfAbsent(id, storageFactory);
        StateMachine sm = machineFactory.get();
        machines.put(id, sm);
        int port = Integer.parseInt(addresses.get(id).substring(addresses.get(id).lastIndexOf(':') + 1));
        GrpcTransport transport = new GrpcTransport(TransportConfig.builder(id, TOKEN).bind("127.0.0.1", port).build());
        transport.updatePeers(addresses);
        RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(Duration.ofMillis(20)).withPeerAddresses(addresses),
                storage, transport, sm);
        nodes.put(id, node);
        node.start();
    }

    /** Stops a node; its storage is kept (closed and reopened by the factory on restart if it was file-based). */
    void stop(String id) {
        RaftNode n = nodes.remove(id);
        if (n != null) {
            n.close();
            storages.remove(id);
        }
    }

    String awaitLeader() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).map(RaftNode::id).findFirst().orElse(null),
                id -> id != null);
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
    }
}
