package io.raftx.spring.core;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Template requests are Micrometer observations: one per request, stopped when it completes, with low-cardinality
 * key values only, the failure recorded, and the caller's current observation as parent (what a tracer turns into
 * a child span).
 */
class RaftxObservationTests {

    @TempDir
    Path dir;

    @Test
    void everyRequestIsAnObservationWithLowCardinalityKeyValues() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
                .withPropertyValues(singleNode(dir)).withPropertyValues("raftx.limits.max-key-size=16B")
                .withUserConfiguration(InMemoryObservations.class).run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
                    ObservationRegistry registry = context.getBean(ObservationRegistry.class);
                    Recorder recorder = context.getBean(Recorder.class);

                    Observation parent = Observation.start("http.request", registry);
                    try (Observation.Scope scope = parent.openScope()) {
                        template.set("ai.mode", "fast");
                    } finally {
                        parent.stop();
                    }
                    template.get("ai.mode", ReadConsistency.LEASE);
                    template.async().get("ai.mode").join();
                    // The caller may see the future complete just before the observation stops.
                    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.stopped.stream()
                            .filter(c -> c.getName().equals("raftx.request")).count() == 3);
                    assertThatExceptionOfType(RaftxInvalidRequestException.class)
                            .isThrownBy(() -> template.set("a.key.longer.than.sixteen.bytes", "v"));

                    List<Observation.Context> raftx = recorder.stopped.stream()
                            .filter(c -> c.getName().equals("raftx.request")).toList();
                    assertThat(raftx).hasSize(4);
                    assertThat(raftx).extracting(Observation.Context::getContextualName)
                            .containsExactly("raftx set", "raftx get", "raftx get", "raftx set");
                    assertThat(keyValues(raftx.get(0))).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "raftx.operation", "set", "raftx.kind", "write", "raftx.consistency", "none",
                            "raftx.outcome", "success"));
                    assertThat(raftx.get(0).getParentObservation()).isSameAs(parent);
                    assertThat(keyValues(raftx.get(1))).containsEntry("raftx.consistency", "lease")
                            .containsEntry("raftx.kind", "read");
                    assertThat(keyValues(raftx.get(2))).containsEntry("raftx.consistency", "linearizable");
                    assertThat(keyValues(raftx.get(3))).containsEntry("raftx.outcome", "invalid");
                    assertThat(raftx.get(3).getError()).isInstanceOf(RaftxInvalidRequestException.class);
                    // Keys and values never become tags: they are unbounded.
                    raftx.forEach(c -> assertThat(c.getAllKeyValues().stream().map(KeyValue::getValue))
                            .doesNotContain("ai.mode", "fast").allMatch(v -> v.length() < 16));
                });
    }

    private static Map<String, String> keyValues(Observation.Context context) {
        return context.getLowCardinalityKeyValues().stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    /** An in-memory handler: the contexts of every stopped observation, in the order they stopped. */
    static class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InMemoryObservations {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        ObservationRegistry observationRegistry(Recorder recorder) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(recorder);
            return registry;
        }
    }
}
