package io.raftx.spring.config.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.spring.RaftxTestSupport;
import io.raftx.spring.core.StringRaftxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * Three Spring applications with Spring Cloud Context and {@code raftx.config.prefix=app.}: a {@code @RefreshScope}
 * bean reading {@code @Value("${ai.threshold}")} sees a value written on another instance within a second on all
 * three, while a plain singleton keeps the value it was created with (so it is the refresh that changed it); every
 * instance hears an {@code EnvironmentChangeEvent} naming the key; a value that does not bind refreshes nothing.
 */
class RefreshScopeClusterConfigTests {

    @TempDir
    Path dir;

    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void refreshScopeBeansFollowTheClusterAndABadValueRefreshesNothing() {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        // Each start waits for a linearizable read, which needs a majority: start the three together.
        Map<String, CompletableFuture<ConfigurableApplicationContext>> starting = new LinkedHashMap<>();
        members.keySet().forEach(id -> starting.put(id, CompletableFuture.supplyAsync(() -> start(id, members))));
        starting.forEach((id, context) -> nodes.put(id, context.join()));
        nodes.values().forEach(n -> assertThat(refreshed(n).threshold()).isEqualTo(0.5));

        template("n1").set("app.ai.threshold", "0.7");
        await().atMost(Duration.ofSeconds(1)).until(() -> nodes.values().stream()
                .allMatch(n -> refreshed(n).threshold() == 0.7));
        for (ConfigurableApplicationContext node : nodes.values()) {
            assertThat(node.getBean(Singleton.class).threshold).as("not refresh-scoped").isEqualTo(0.5);
            List<EnvironmentChangeEvent> events = node.getBean(EnvironmentChanges.class).events;
            await().atMost(Duration.ofSeconds(1)).until(() -> !events.isEmpty());
            assertThat(events.get(0).getKeys()).isEqualTo(Set.of("ai.threshold"));
        }

        // Not a double: the @ConfigurationProperties bean rejects it, and the refresh-scoped bean keeps working.
        template("n2").set("app.ai.threshold", "high");
        for (ConfigurableApplicationContext node : nodes.values()) {
            await().atMost(Duration.ofSeconds(1)).until(() -> !node.getBean(ClusterConfigEvents.class).rejected
                    .isEmpty());
            assertThat(refreshed(node).threshold()).isEqualTo(0.7);
            assertThat(node.getBean(EnvironmentChanges.class).events).hasSize(1);
        }

        template("n3").set("app.ai.threshold", "0.9");
        await().atMost(Duration.ofSeconds(1)).until(() -> nodes.values().stream()
                .allMatch(n -> refreshed(n).threshold() == 0.9));
    }

    private ConfigurableApplicationContext start(String id, Map<String, String> members) {
        List<String> properties = new ArrayList<>(List.of("raftx.node-id=" + id, "raftx.data-dir=" + dir.resolve(id),
                "raftx.timing.tick=20ms", "spring.main.banner-mode=off", "raftx.config.prefix=app.",
                "ai.threshold=0.5"));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(RefreshApp.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private StringRaftxTemplate template(String id) {
        return nodes.get(id).getBean(StringRaftxTemplate.class);
    }

    private static Refreshed refreshed(ConfigurableApplicationContext node) {
        return node.getBean(Refreshed.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(AiProperties.class)
    static class RefreshApp {

        @Bean
        @RefreshScope
        Refreshed refreshed(@Value("${ai.threshold}") double threshold) {
            return new Refreshed(threshold);
        }

        @Bean
        Singleton singleton(@Value("${ai.threshold}") double threshold) {
            return new Singleton(threshold);
        }

        @Bean
        EnvironmentChanges environmentChanges() {
            return new EnvironmentChanges();
        }

        @Bean
        ClusterConfigEvents clusterConfigEvents() {
            return new ClusterConfigEvents();
        }
    }

    /** Proxied by the refresh scope: each call reaches the instance created from the current Environment. */
    public static class Refreshed {
        private final double threshold;

        public Refreshed(double threshold) {
            this.threshold = threshold;
        }

        public double threshold() {
            return threshold;
        }
    }

    static class Singleton {
        final double threshold;

        Singleton(double threshold) {
            this.threshold = threshold;
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

    static class EnvironmentChanges {
        final List<EnvironmentChangeEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(EnvironmentChangeEvent event) {
            events.add(event);
        }
    }

    static class ClusterConfigEvents {
        final List<io.raftx.spring.config.RaftxConfigChangedEvent> rejected = new CopyOnWriteArrayList<>();

        @EventListener
        void on(io.raftx.spring.config.RaftxConfigChangedEvent event) {
            if (!event.rejectedBeans().isEmpty()) {
                rejected.add(event);
            }
        }
    }
}
