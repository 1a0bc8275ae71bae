package io.raftx.node;

import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.Transport;
import io.raftx.transport.TransportConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
    private Function<String, SnapshotStore> snapshotStores = id -> null;
    private UnaryOperator<NodeConfig> configure = c -> c;
    private BiFunction<String, GrpcTransport, Transport> transportWrapper = (id, t) -> t;
    /** The voters nodes started with {@link #start} begin with (all ids unless set). */
    private List<String> initialVoters = ids;

    GrpcTestCluster(int size, Function<String, RaftStorage> storageFactory, Supplier<StateMachine> machineFactory) {
        this.storageFactory = storageFactory;
        this.machineFactory = machineFactory;
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            ids.add(id);
            addresses.put(id, "127.0.0.1:" + GrpcPorts.free());
        }
    }

    /** Gives each node a snapshot store (created or reopened per start). */
    GrpcTestCluster withSnapshots(Function<String, SnapshotStore> stores) {
        this.snapshotStores = stores;
        return this;
    }

    /** Adjusts every node's configuration (after the cluster's 20 ms tick is set). */
    GrpcTestCluster withConfig(UnaryOperator<NodeConfig> configure) {
        this.configure = configure;
        return this;
    }

    /** Nodes started with {@link #start} begin with these voters; the others can join later. */
    GrpcTestCluster withInitialVoters(List<String> voters) {
        this.initialVoters = List.copyOf(voters);
        return this;
    }

    /** Wraps each node's gRPC transport, for fault injection and counting. */
    GrpcTestCluster withTransport(BiFunction<String, GrpcTransport, Transport> wrapper) {
        this.transportWrapper = wrapper;
        return this;
    }


    void startAll() {
        ids.forEach(this::start);
    }

    void start(String id) {
        Map<String, String> known = new LinkedHashMap<>();
        initialVoters.forEach(m -> known.put(m, addresses.get(m)));
        start(id, initialVoters, known);
    }

    /**
     * Starts a node that is not a member yet: it is given the current members ({@code members}, not including
     * itself) and waits until the leader adds it ({@link RaftNode#addMember}).
     */
    void startJoining(String id, List<String> members) {
        Map<String, String> known = new LinkedHashMap<>();
        members.forEach(m -> known.put(m, addresses.get(m)));
        start(id, members, known);
    }

    private void start(String id, List<String> voters, Map<String, String> peerAddresses) {
        RaftStorage storage = storages.computeIfAbsent(id, storageFactory);
        StateMachine sm = machineFactory.get();
        machines.put(id, sm);
        int port = Integer.parseInt(addresses.get(id).substring(addresses.get(id).lastIndexOf(':') + 1));
        GrpcTransport transport = new GrpcTransport(TransportConfig.builder(id, TOKEN).bind("127.0.0.1", port).build());
        transport.updatePeers(addresses);
        NodeConfig config = configure.apply(NodeConfig.of(id, voters).withTick(Duration.ofMillis(20))
                .withPeerAddresses(peerAddresses));
        RaftNode node = new RaftNode(config, storage, snapshotStores.apply(id), transportWrapper.apply(id, transport), sm);
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
