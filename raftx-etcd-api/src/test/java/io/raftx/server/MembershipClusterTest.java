package io.raftx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.GrpcPorts;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nodes (gRPC + MVStore): grow 1 → 3 → 5 and shrink 5 → 3 (removing the leader too) under continuous writes. */
class MembershipClusterTest {

    private static final String TOKEN = "membership-test-token-0123456789";

    @TempDir
    Path dir;

    private final Map<String, RaftxServer> servers = new ConcurrentHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        servers.values().forEach(RaftxServer::close);
    }

    private RaftxServer start(String id, Map<String, String> members) {
        RaftxServer s = new RaftxServer(new ServerSettings(id, addresses.get(id), null, dir.resolve(id), members, TOKEN,
                Duration.ofMillis(20))).start();
        servers.put(id, s);
        return s;
    }

    private RaftxServer leader() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> servers.values().stream()
                .filter(s -> s.node().status().role() == Role.LEADER).findFirst().orElse(null), s -> s != null);
    }

    @Test
    void growsAndShrinksUnderWritesWithoutLosingAcknowledgedWrites() throws Exception {
        for (int i = 1; i <= 5; i++) {
            addresses.put("n" + i, "127.0.0.1:" + GrpcPorts.free());
        }
        start("n1", Map.of("n1", addresses.get("n1")));
        leader();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int seq = 0; writing.get(); seq++) {
                List<RaftxServer> live = new ArrayList<>(servers.values());
                RaftxServer via = live.get(ThreadLocalRandom.current().nextInt(live.size()));
                String key = "k" + seq;
                try {
                    via.kv().put(key, "v").get(5, TimeUnit.SECONDS);
                    acknowledged.add(key);
                } catch (Exception e) {
                    // not acknowledged: may or may not be applied; only acknowledged writes are checked
                }
            }
        }, "writer");
        writer.start();

        for (String id : List.of("n2", "n3", "n4", "n5")) {
            Map<String, String> current = new LinkedHashMap<>();
            servers.keySet().forEach(s -> current.put(s, addresses.get(s)));
            start(id, current); // joins: not among the members it is given, so it waits to be added
            var membership = leader().node().addMember(id, addresses.get(id)).get(60, TimeUnit.SECONDS);
            assertThat(membership.voters()).contains(id);
        }
        assertThat(leader().node().status().membership().voters()).hasSize(5);

        // Shrink: remove the leader itself (it hands over first), then one follower.
        String oldLeader = leader().node().id();
        servers.get(oldLeader).node().removeMember(oldLeader).get(30, TimeUnit.SECONDS);
        servers.remove(oldLeader).close();
        String follower = servers.values().stream().filter(s -> s.node().status().role() != Role.LEADER)
                .findFirst().orElseThrow().node().id();
        leader().node().removeMember(follower).get(30, TimeUnit.SECONDS);
        servers.remove(follower).close();
        assertThat(leader().node().status().membership().voters()).hasSize(3).doesNotContain(oldLeader, follower);

        Thread.sleep(500);
        writing.set(false);
        writer.join();

        // A restarted member recovers the configuration from its own log (CONFIG entries survive storage).
        String restarted = servers.values().stream().filter(s -> s.node().status().role() != Role.LEADER)
                .findFirst().orElseThrow().node().id();
        servers.remove(restarted).close();
        RaftxServer again = start(restarted, Map.of("n1", addresses.get("n1")));
        assertThat(again.node().status().membership().voters())
                .isEqualTo(leader().node().status().membership().voters());
        assertThat(acknowledged).hasSizeGreaterThan(20);
        for (RaftxServer s : servers.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> s.node().status().appliedIndex()
                    >= leader().node().status().commitIndex());
            for (String key : acknowledged) {
                assertThat(s.kv().get(key, ReadConsistency.LOCAL).get(5, TimeUnit.SECONDS))
                        .as("acknowledged %s on %s", key, s.node().id()).isPresent();
            }
        }
    }
}
