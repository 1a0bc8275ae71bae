package io.raftx.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.spring.RaftxTestSupport;
import io.raftx.spring.actuate.health.RaftxConfigHealthIndicator;
import io.raftx.spring.core.StringRaftxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * Three Spring applications with {@code raftx.config.prefix=app.} and a plain {@code @ConfigurationProperties("ai")}
 * bean: a key written on one is bound on all three within a second, a value that does not bind keeps the previous
 * binding everywhere (and shows in health), and a node that starts later binds the cluster's value from the start.
 */
class ClusterConfigurationTests {

    @TempDir
    Path dir;

    private final Map<String, String> members = new LinkedHashMap<>();
    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void clusterKeysBindOnEveryInstanceAndBadValuesKeepTheLastGoodBinding() {
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        // Each start waits for a linearizable read, which needs a majority: start the three together.
        List<CompletableFuture<ConfigurableApplicationContext>> starting = members.keySet().stream()
                .map(id -> CompletableFuture.supplyAsync(() -> start(id))).toList();
        List<String> ids = List.copyOf(members.keySet());
        for (int i = 0; i < ids.size(); i++) {
            nodes.put(ids.get(i), starting.get(i).join());
        }
        nodes.values().forEach(n -> assertThat(ai(n).getThreshold()).isEqualTo(0.5)); // the default

        template("n1").set("app.ai.threshold", "0.7");
        template("n1").set("other.ai.threshold", "0.1"); // not under the prefix
        await().atMost(Duration.ofSeconds(1)).until(() -> nodes.values().stream()
                .allMatch(n -> ai(n).getThreshold() == 0.7));
        for (ConfigurableApplicationContext node : nodes.values()) {
            assertThat(node.getEnvironment().getProperty("ai.threshold")).isEqualTo("0.7");
            List<RaftxConfigChangedEvent> events = node.getBean(ChangeListener.class).events;
            await().atMost(Duration.ofSeconds(1)).until(() -> !events.isEmpty());
            assertThat(events.get(0).keys()).containsExactly("ai.threshold");
            assertThat(events.get(0).rejectedBeans()).isEmpty();
        }

        template("n2").set("app.ai.threshold", "high");
        for (ConfigurableApplicationContext node : nodes.values()) {
            await().atMost(Duration.ofSeconds(1)).until(() -> node.getBean(ChangeListener.class).events.size() == 2);
            RaftxConfigChangedEvent rejected = node.getBean(ChangeListener.class).events.get(1);
            assertThat(rejected.rejectedBeans()).hasSize(1);
            assertThat(ai(node).getThreshold()).isEqualTo(0.7);
            Health health = node.getBean(RaftxConfigHealthIndicator.class).health(true);
            assertThat(health.getDetails().get("rejected").toString()).contains("ai").contains("high");
        }

        template("n3").set("app.ai.threshold", "0.9");
        await().atMost(Duration.ofSeconds(1)).until(() -> nodes.values().stream()
                .allMatch(n -> ai(n).getThreshold() == 0.9));
        nodes.values().forEach(n -> assertThat(n.getBean(ClusterConfiguration.class).rebinder().rejections())
                .isEmpty());

        // A node that starts after a change binds the new value before any bean could read it.
        String stopped = awaitFollower();
        nodes.remove(stopped).close();
        String other = nodes.keySet().iterator().next();
        template(other).set("app.ai.threshold", "0.95");
        nodes.put(stopped, start(stopped));
        assertThat(nodes.get(stopped).getBean(ThresholdUser.class).thresholdSeenAtCreation).isEqualTo(0.95);
    }

    private ConfigurableApplicationContext start(String id) {
        List<String> properties = new ArrayList<>(List.of("raftx.node-id=" + id,
                "raftx.data-dir=" + dir.resolve(id), "raftx.timing.tick=20ms", "spring.main.banner-mode=off",
                "raftx.config.prefix=app.", "ai.threshold=0.5"));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(ConfigApp.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private String awaitFollower() {
        return await().atMost(Duration.ofSeconds(10)).until(() -> nodes.entrySet().stream()
                .filter(e -> e.getValue().getBean(RaftNode.class).status().role() == Role.FOLLOWER)
                .map(Map.Entry::getKey).findFirst().orElse(null), id -> id != null);
    }

    private StringRaftxTemplate template(String id) {
        return nodes.get(id).getBean(StringRaftxTemplate.class);
    }

    private static AiProperties ai(ConfigurableApplicationContext node) {
        return node.getBean(AiProperties.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(AiProperties.class)
    static class ConfigApp {

        @Bean
        ChangeListener changeListener() {
            return new ChangeListener();
        }

        @Bean
        ThresholdUser thresholdUser(AiProperties ai) {
            return new ThresholdUser(ai.getThreshold());
        }
    }

    @ConfigurationProperties("ai")
    public static class AiProperties {

        private double threshold = 0.5;

        public double getThreshold() {
            return threshold;
        }

        public void setThreshold(double threshold) {
            this.threshold = threshold;
        }
    }

    /** Reads the threshold once, when created: what a constructor or @PostConstruct would see. */
    static class ThresholdUser {
        final double thresholdSeenAtCreation;

        ThresholdUser(double threshold) {
            this.thresholdSeenAtCreation = threshold;
        }
    }

    static class ChangeListener {
        final List<RaftxConfigChangedEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void onChange(RaftxConfigChangedEvent event) {
            events.add(event);
        }
    }
}
