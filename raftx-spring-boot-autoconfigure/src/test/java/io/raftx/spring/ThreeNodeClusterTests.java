package io.raftx.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Three Spring applications form one cluster over real gRPC on loopback, each with its own data directory, and a
 * {@code @ClusterWatch} method fires on all of them for a write made through any one, for persistent and volatile
 * keys alike.
 */
class ThreeNodeClusterTests {

    @TempDir
    Path dir;

    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aWriteOnOneNodeFiresClusterWatchMethodsOnAllThree() {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        members.keySet().forEach(id -> nodes.put(id, start(id, members)));
        String leader = awaitLeader();
        String follower = members.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        String otherFollower = members.keySet().stream().filter(id -> !id.equals(leader) && !id.equals(follower))
                .findFirst().orElseThrow();

        long revision = template(follower).set("ai.model.threshold", "0.7"); // forwarded to the leader
        template(follower).set("billing.plan", "pro"); // not watched

        assertThat(template(otherFollower).get("ai.model.threshold", ReadConsistency.LINEARIZABLE)).contains("0.7");
        for (ConfigurableApplicationContext node : nodes.values()) {
            List<WatchEvent> seen = node.getBean(AiWatcher.class).events;
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            assertThat(seen.get(0).keyAsString()).isEqualTo("ai.model.threshold");
            assertThat(seen.get(0).valueAsString()).isEqualTo("0.7");
            assertThat(seen.get(0).revision()).isEqualTo(revision);
        }

        template(otherFollower).opsForVolatile().set("session.alice", "online", Duration.ofMinutes(1));
        for (ConfigurableApplicationContext node : nodes.values()) {
            List<WatchEvent> seen = node.getBean(SessionWatcher.class).events;
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            assertThat(seen.get(0).volatileKey()).isTrue();
            assertThat(seen.get(0).valueAsString()).isEqualTo("online");
        }

        nodes.remove(leader).close(); // hands leadership over before stopping
        String next = awaitLeader();
        assertThat(next).isNotEqualTo(leader);
        template(next.equals(follower) ? otherFollower : follower).set("ai.model.threshold", "0.8");
        for (ConfigurableApplicationContext node : nodes.values()) {
            List<WatchEvent> seen = node.getBean(AiWatcher.class).events;
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertThat(seen.get(1).valueAsString()).isEqualTo("0.8");
        }
    }

    private ConfigurableApplicationContext start(String id, Map<String, String> members) {
        List<String> properties = new ArrayList<>(List.of("raftx.node-id=" + id,
                "raftx.data-dir=" + dir.resolve(id), "raftx.timing.tick=20ms", "spring.main.banner-mode=off"));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(ClusterApp.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private String awaitLeader() {
        return await().atMost(Duration.ofSeconds(15)).until(() -> nodes.values().stream()
                .map(c -> c.getBean(RaftNode.class).status())
                .filter(s -> s != null && s.role() == Role.LEADER).map(s -> s.nodeId()).findFirst().orElse(null),
                id -> id != null);
    }

    private StringRaftxTemplate template(String id) {
        return nodes.get(id).getBean(StringRaftxTemplate.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ClusterApp {
        @Bean
        AiWatcher aiWatcher() {
            return new AiWatcher();
        }

        @Bean
        SessionWatcher sessionWatcher() {
            return new SessionWatcher();
        }
    }

    static class SessionWatcher {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();

        @ClusterWatch(value = "session.**", volatileKeys = true)
        void onChange(WatchEvent event) {
            events.add(event);
        }
    }

    static class AiWatcher {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();

        @ClusterWatch("ai.**")
        void onChange(WatchEvent event) {
            events.add(event);
        }
    }
}
