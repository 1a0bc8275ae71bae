package io.raftx.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.RaftNode;
import io.raftx.spring.actuate.health.RaftxHealthIndicator;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** A node started with raftx.joining=true waits outside the cluster until a member adds it, then serves it. */
class MembershipTests {

    @TempDir
    Path dir;

    private final List<ConfigurableApplicationContext> contexts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void addsAJoiningNodeThenRemovesIt() {
        String a1 = "127.0.0.1:" + RaftxTestSupport.freePort();
        String a2 = "127.0.0.1:" + RaftxTestSupport.freePort();
        ConfigurableApplicationContext n1 = start("raftx.node-id=n1", "raftx.members.n1=" + a1);
        RaftxTestSupport.awaitLeader(n1.getBean(RaftNode.class));
        StringRaftxTemplate t1 = n1.getBean(StringRaftxTemplate.class);
        t1.set("app.before", "1");

        ConfigurableApplicationContext n2 = start("raftx.node-id=n2", "raftx.joining=true", "raftx.address=" + a2,
                "raftx.members.n1=" + a1);
        RaftxHealthIndicator health2 = n2.getBean(RaftxHealthIndicator.class);
        assertThat(health2.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        RaftxClusterOperations cluster = t1.opsForCluster();
        cluster.addMember("n2", a2);
        assertThat(cluster.members()).containsOnlyKeys("n1", "n2").containsEntry("n2", a2);
        await().atMost(Duration.ofSeconds(10)).until(() -> health2.health().getStatus().equals(Status.UP));

        StringRaftxTemplate t2 = n2.getBean(StringRaftxTemplate.class);
        t2.set("app.after", "2"); // through the new member, forwarded to the leader
        assertThat(t2.get("app.before")).contains("1");
        Watcher watcher2 = n2.getBean(Watcher.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher2.keys.containsAll(List.of("app.before", "app.after")));

        n2.getBean(StringRaftxTemplate.class).opsForCluster().removeMember("n2"); // forwarded to the leader
        // Asked on n2, the call returned once the leader n1 applied the change; n1's status follows a moment later.
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.members().keySet().equals(Set.of("n1")));
        // A removed node is not necessarily told (the leader stops replicating to it): it loses its leader.
        await().atMost(Duration.ofSeconds(10)).until(() -> !health2.health().getStatus().equals(Status.UP));
        t1.set("app.alone", "3"); // the one remaining voter is a majority of one
    }

    private ConfigurableApplicationContext start(String... properties) {
        String id = properties[0].substring(properties[0].indexOf('=') + 1);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("raftx.data-dir=" + dir.resolve(id), "raftx.timing.tick=20ms",
                        "spring.main.banner-mode=off")
                .properties(properties).run();
        contexts.add(context);
        return context;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Watcher watcher() {
            return new Watcher();
        }
    }

    static class Watcher {
        final List<String> keys = new CopyOnWriteArrayList<>();

        @ClusterWatch("app.**")
        void onChange(WatchEvent event) {
            keys.add(event.keyAsString());
        }
    }
}
