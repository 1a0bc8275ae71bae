package io.raftx.volatilenode;

import static org.awaitility.Awaitility.await;

import io.raftx.kv.KvStateMachine;
import io.raftx.kv.watch.WatchHub;
import io.raftx.node.GrpcPorts;
import io.raftx.node.NodeConfig;
import io.raftx.node.RaftNode;
import io.raftx.raft.RaftConfig;
import io.raftx.raft.Role;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real RaftX nodes (gRPC on free loopback ports, MVStore in temp dirs) in this JVM, for volatile-keyspace tests:
 * each runs the KV state machine and the volatile keyspace, as a standalone node does (without its client port).
 */
public final class VolatileTestCluster implements AutoCloseable {

    public static final Duration TICK = Duration.ofMillis(20);
    private static final String TOKEN = "volatile-test-token-0123456789ab";

    private final Path dir;
    private final VolatileSettings settings;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, Member> servers = new ConcurrentHashMap<>();

    public VolatileTestCluster(Path dir, int size, VolatileSettings settings) {
        this.dir = dir;
        this.settings = settings;
        for (int i = 1; i <= size; i++) {
            addresses.put("n" + i, "127.0.0.1:" + GrpcPorts.free());
        }
    }

    public static VolatileTestCluster started(Path dir, int size, VolatileSettings settings) {
        VolatileTestCluster c = new VolatileTestCluster(dir, size, settings);
        c.addresses.keySet().forEach(c::start);
        c.awaitVolatileLeader();
        return c;
    }

    public Map<String, String> addresses() {
        return addresses;
    }

    public String token() {
        return TOKEN;
    }

    /** Starts (or restarts, with its Raft data kept) node {@code id}. */
    public Member start(String id) {
        return start(id, List.copyOf(addresses.keySet()));
    }

    /** Starts a brand-new node {@code id} that joins the running members (add it with {@code addMember}). */
    public Member join(String id) {
        addresses.put(id, "127.0.0.1:" + GrpcPorts.free());
        return start(id, List.of()); // no voters: its configuration comes from the log the leader sends it
    }

    private Member start(String id, List<String> voters) {
        try {
            java.nio.file.Files.createDirectories(dir.resolve(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String address = addresses.get(id);
        GrpcTransport transport = new GrpcTransport(TransportConfig.builder(id, TOKEN)
                .bind("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))).build());
        transport.updatePeers(addresses);
        NodeConfig config = NodeConfig.of(id, voters).withTick(TICK).withRaft(RaftConfig.of(id, voters))
                .withPeerAddresses(addresses);
        RaftNode node = new RaftNode(config, MvStoreRaftStorage.open(dir.resolve(id).resolve("raft.mv")),
                FileSnapshotStore.open(dir.resolve(id).resolve("snapshots")), transport, new KvStateMachine());
        WatchHub watches = new WatchHub();
        VolatileExtension keyspace = new VolatileExtension(settings, TICK, watches);
        CuttableVolatileLink link = new CuttableVolatileLink(keyspace);
        node.addExtension(link);
        node.start();
        Member m = new Member(node, new VolatileClient(keyspace), watches, link);
        servers.put(id, m);
        return m;
    }

    /** One running node: the Raft node and its volatile keyspace's client and watch hub. */
    public record Member(RaftNode node, VolatileClient volatiles, WatchHub volatileWatches, CuttableVolatileLink link)
            implements AutoCloseable {
        @Override
        public void close() {
            node.close();
            volatileWatches.close();
        }
    }

    /** Stops node {@code id} abruptly: no leadership handover, its volatile memory is gone. */
    public void stop(String id) {
        Member s = servers.remove(id);
        if (s != null) {
            s.close();
        }
    }

    public Member server(String id) {
        return servers.get(id);
    }

    /** Drops node {@code id}'s volatile frames to and from {@code peers} (empty: restores them); Raft is untouched. */
    void cutVolatileLink(String id, java.util.Collection<String> peers) {
        servers.get(id).link().cutFrom(peers);
    }

    public VolatileClient client(String id) {
        return servers.get(id).volatiles();
    }

    public List<String> running() {
        return new ArrayList<>(servers.keySet());
    }

    /** The node that leads Raft and has finished volatile recovery (takes volatile writes). */
    public String awaitVolatileLeader() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> servers.values()
                .stream().filter(s -> s.node().status().role() == Role.LEADER && s.volatiles().stats().activeLeader())
                .map(s -> s.node().id()).findFirst().orElse(null), id -> id != null);
    }

    public String aFollower() {
        String leader = awaitVolatileLeader();
        return servers.keySet().stream().filter(id -> !id.equals(leader)).sorted().findFirst().orElseThrow();
    }

    @Override
    public void close() {
        servers.values().forEach(Member::close);
        servers.clear();
    }
}
