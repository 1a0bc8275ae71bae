package io.raftx.volatilenode;

import static org.awaitility.Awaitility.await;

import io.raftx.node.GrpcPorts;
import io.raftx.raft.Role;
import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real RaftX nodes (gRPC on free loopback ports, MVStore in temp dirs) in this JVM, for volatile-keyspace tests. */
public final class VolatileTestCluster implements AutoCloseable {

    public static final Duration TICK = Duration.ofMillis(20);
    private static final String TOKEN = "volatile-test-token-0123456789ab";

    private final Path dir;
    private final VolatileSettings settings;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, RaftxServer> servers = new ConcurrentHashMap<>();

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
    public RaftxServer start(String id) {
        RaftxServer s = new RaftxServer(new ServerSettings(id, addresses.get(id), null, dir.resolve(id), addresses,
                TOKEN, TICK), settings).start();
        servers.put(id, s);
        return s;
    }

    /** Starts a brand-new node {@code id} that joins the running members (add it with {@code addMember}). */
    public RaftxServer join(String id) {
        Map<String, String> members = new LinkedHashMap<>(addresses);
        String address = "127.0.0.1:" + GrpcPorts.free();
        addresses.put(id, address);
        RaftxServer s = new RaftxServer(new ServerSettings(id, address, null, dir.resolve(id), members, TOKEN, TICK),
                settings).start();
        servers.put(id, s);
        return s;
    }

    /** Stops node {@code id} abruptly: no leadership handover, its volatile memory is gone. */
    public void stop(String id) {
        RaftxServer s = servers.remove(id);
        if (s != null) {
            s.close();
        }
    }

    public RaftxServer server(String id) {
        return servers.get(id);
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
        servers.values().forEach(RaftxServer::close);
        servers.clear();
    }
}
