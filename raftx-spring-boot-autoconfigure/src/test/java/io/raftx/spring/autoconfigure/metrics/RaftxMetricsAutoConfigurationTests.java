package io.raftx.spring.autoconfigure.metrics;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.spring.actuate.metrics.MicrometerRaftxRequestObserver;
import io.raftx.spring.actuate.metrics.RaftxMetrics;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.coordination.RaftxCoordinationAutoConfiguration;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class RaftxMetricsAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                    RaftxCoordinationAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    RaftxMetricsAutoConfiguration.class));

    @Test
    void bindsConsensusTransportWatchAndRequestMeters() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(Listener.class).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
            template.set("m.k", "v");
            template.get("m.k", ReadConsistency.LOCAL);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("raftx.term").tag("node", "n1").gauge().value()).isPositive();
            assertThat(registry.get("raftx.role").tag("role", "leader").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftx.role").tag("role", "follower").gauge().value()).isZero();
            assertThat(registry.get("raftx.has.leader").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftx.commit.index").gauge().value()).isPositive();
            assertThat(registry.get("raftx.applied.index").gauge().value()).isPositive();
            assertThat(registry.get("raftx.last.index").gauge().value()).isPositive();
            assertThat(registry.get("raftx.apply.lag").gauge().value()).isZero();
            // a single voter has never heard a leader's gaps: the threshold sits at its ceiling, a tick short of the
            // election timeout (10 ticks of the tests' 10 ms tick)
            assertThat(registry.get("raftx.leader.silence.threshold").timeGauge().value(TimeUnit.MILLISECONDS))
                    .isEqualTo(90);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("raftx.leader.changes").functionCounter().count() >= 1);
            assertThat(registry.get("raftx.elections").functionCounter().count()).isNotNegative();
            assertThat(registry.get("raftx.proposals").tag("operation", "set").tag("outcome", "success").timer()
                    .count()).isEqualTo(1);
            assertThat(registry.get("raftx.reads").tag("consistency", "local").tag("outcome", "success").timer()
                    .count()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("raftx.watch.deliveries")
                    .tag("outcome", "success").functionCounter().count() == 1);
            assertThat(registry.get("raftx.watch.deliveries").tag("outcome", "failure").functionCounter().count())
                    .isZero();
            assertThat(registry.get("raftx.watch.active").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftx.watch.overflows").functionCounter().count()).isZero();
            assertThat(registry.get("raftx.transport.messages.dropped").tag("reason", "queue_full")
                    .functionCounter().count()).isZero();
            assertThat(registry.find("raftx.transport.messages.sent").functionCounter()).isNotNull();
            assertThat(registry.find("raftx.transport.inbound.rejected").functionCounter()).isNotNull();
            assertThat(registry.get("raftx.transport.identity.refused").functionCounter().count()).isZero();
            assertThat(registry.get("raftx.transport.inbound.bytes").gauge().value()).isZero();
            assertThat(registry.get("raftx.transport.inbound.paused").functionCounter().count()).isZero();
            assertThat(registry.get("raftx.transport.inbound.refused.full").functionCounter().count()).isZero();
            template.opsForVolatile().set("m.v", "1", null);
            // The keyspace publishes its stats after the loop pass that applied the write.
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("raftx.volatile.keys").gauge().value() == 1);
            assertThat(registry.get("raftx.volatile.synced").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftx.volatile.applied.index").gauge().value()).isPositive();
            assertThat(registry.find("raftx.volatile.snapshots.installed").functionCounter()).isNotNull();
            assertThat(registry.get("raftx.log.entries").gauge().value()).isPositive();
            assertThat(registry.get("raftx.snapshot.index").gauge().value()).isZero();
            template.opsForCluster().snapshot();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("raftx.snapshots.taken").functionCounter().count() == 1);
            assertThat(registry.get("raftx.snapshot.index").gauge().value()).isPositive();
        });
    }

    @Test
    void showsOnThePrometheusScrape() {
        runner.withConfiguration(AutoConfigurations.of(PrometheusMetricsExportAutoConfiguration.class))
                .withPropertyValues(singleNode(dir)).run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    context.getBean(StringRaftxTemplate.class).set("p.k", "v");
                    String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
                    assertThat(scrape).contains("raftx_term{node=\"n1\"}", "raftx_role{node=\"n1\",role=\"leader\"} 1",
                            "raftx_proposals_seconds_count{node=\"n1\",operation=\"set\",outcome=\"success\"} 1",
                            "raftx_transport_messages_dropped_total");
                });
    }

    @Test
    void needsAMeterRegistry() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                RaftxMetricsAutoConfiguration.class)).withPropertyValues(singleNode(dir))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxMetrics.class)
                        .doesNotHaveBean(MicrometerRaftxRequestObserver.class));
    }

    @Test
    void needsMicrometerOnTheClassPath() {
        runner.withPropertyValues(singleNode(dir)).withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> assertThat(context).doesNotHaveBean(RaftxMetrics.class));
    }

    @Test
    void needsARunningNodeConfiguration() {
        runner.withPropertyValues("raftx.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Listener {
        @ClusterWatch("m.**")
        void onChange(WatchEvent event) {
        }
    }
}
