package io.raftx.it;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.NodeConfig;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.PartitionableTransport;
import io.raftx.transport.TransportConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KV nodes in one JVM, each with MVStore storage, the real gRPC peer transport on loopback and a {@link KvClient}.
 * Nodes can be stopped and restarted on their storage, and cut off from the others with
 * {@link PartitionableTransport#blockPeers}.
 */
final class InJvmKvCluster implements AutoCloseable {

    private static final String TOKEN = "in-jvm-kv-cluster-token-0123456789";

    /** A running incarnation of a node. */
    record Member(RaftNode node, KvClient kv, PartitionableTransport transport) { }

    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, Member> running = new ConcurrentHashMap<>();
    private final Path dataRoot;
    private final Duration tick;
    private final Duration requestTimeout;
    /** Blocked drops counted by incarnations that were stopped since, so that the total survives restarts. */
    private long blockedDropsOfStopped;

    InJvmKvCluster(int size, Path dataRoot, Duration tick, Duration requestTimeout) {
        this.dataRoot = dataRoot;
        this.tick = tick;
        this.requestTimeout = requestTimeout;
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
            addresses.put("n" + i, "127.0.0.1:" + io.raftx.node.GrpcPorts.free());
        }
    }

    List<String> ids() {
        return List.copyOf(ids);
    }

    void startAll() {
        ids.forEach(this::start);
    }

    void start(String id) {
        if (running.containsKey(id)) {
            throw new IllegalStateException(id + " is already running");
        }
        String address = addresses.get(id);
        PartitionableTransport transport = new PartitionableTransport(new GrpcTransport(TransportConfig.builder(id, TOKEN)
                .bind("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))).build()));
        transport.updatePeers(addresses);
        KvStateMachine machine = new KvStateMachine();
        RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(tick).withRequestTimeout(requestTimeout),
                MvStoreRaftStorage.open(dataRoot.resolve(id + ".mv")), transport, machine);
        node.start();
        running.put(id, new Member(node, new KvClient(node, machine), transport));
    }

    /** Closes the node (pending requests fail or become unknown); its storage stays for {@link #start}. */
    synchronized void stop(String id) {
        Member m = Objects.requireNonNull(running.remove(id), () -> id + " is not running");
        blockedDropsOfStopped += m.transport().blockedDrops();
        m.node().close();
    }

    /** Cuts {@code id} off from every other node, in both directions, until {@link #heal}. */
    void isolate(String id) {
        Set<String> others = new HashSet<>(ids);
        others.remove(id);
        member(id).transport().blockPeers(others);
    }

    void heal(String id) {
        member(id).transport().blockPeers(Set.of());
    }

    /** Messages and forwarded requests dropped by the fault-injection hook so far, over all incarnations. */
    synchronized long blockedDrops() {
        return blockedDropsOfStopped + running.values().stream()
                .mapToLong(m -> m.transport().blockedDrops()).sum();
    }

    /** The running node's client, or empty while the node is stopped. */
    Optional<KvClient> kv(String id) {
        return Optional.ofNullable(running.get(id)).map(Member::kv);
    }

    List<String> runningIds() {
        return ids.stream().filter(running::containsKey).toList();
    }

    /** A leader that a majority of all nodes (itself included) agree on in its term, or empty. */
    Optional<String> agreedLeader() {
        List<NodeStatus> views = running.values().stream().map(m -> m.node().status()).filter(Objects::nonNull)
                .toList();
        for (NodeStatus s : views) {
            if (s.role() == Role.LEADER) {
                long agreeing = views.stream()
                        .filter(v -> v.term() == s.term() && s.nodeId().equals(v.leaderId())).count();
                if (agreeing > ids.size() / 2) {
                    return Optional.of(s.nodeId());
                }
            }
        }
        return Optional.empty();
    }

    String awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> leader = agreedLeader();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader agreed by a majority within " + timeout + ": " + statuses());
            }
            Thread.sleep(20);
        }
    }

    String statuses() {
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            Member m = running.get(id);
            b.append(m == null ? id + "[stopped] " : m.node().status() + " ");
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }

    private Member member(String id) {
        return Objects.requireNonNull(running.get(id), () -> id + " is not running");
    }

}
