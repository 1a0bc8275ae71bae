package io.raftx.spring.autoconfigure.health;

import static io.raftx.spring.RaftxTestSupport.FAST_TICK;
import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.freePort;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Membership;
import io.raftx.raft.Role;
import io.raftx.spring.actuate.health.RaftxHealthIndicator;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class RaftxHealthContributorAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, RaftxHealthContributorAutoConfiguration.class));

    @Test
    void isUpWithALeaderAndShowsTheNodesState() {
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            Health health = context.getBean("raftxHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("nodeId", "n1").containsEntry("role", "LEADER")
                    .containsEntry("leader", "n1").containsKeys("term", "commitIndex", "appliedIndex", "lastIndex")
                    .containsEntry("applyLag", 0L).containsEntry("voter", true);
        });
    }

    @Test
    void isDownWithoutALeader() {
        runner.withPropertyValues("raftx.node-id=n1", "raftx.data-dir=" + dir, FAST_TICK,
                "raftx.members.n1=127.0.0.1:" + freePort(), "raftx.members.n2=127.0.0.1:" + freePort(),
                "raftx.members.n3=127.0.0.1:" + freePort()).run(context -> {
                    Health health = context.getBean(RaftxHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("leader", "none")
                            .hasEntrySatisfying("reason", r -> assertThat(r.toString()).contains("no leader"));
                });
    }

    @Test
    void isOutOfServiceWhileNotAMember() {
        runner.withPropertyValues("raftx.node-id=n4", "raftx.joining=true", "raftx.data-dir=" + dir, FAST_TICK,
                "raftx.address=127.0.0.1:" + freePort(), "raftx.members.n1=127.0.0.1:" + freePort())
                .run(context -> {
                    Health health = context.getBean(RaftxHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(health.getDetails().get("reason").toString()).contains("not a member");
                });
    }

    @Test
    void isDownOnceTheNodeStopped() {
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            RaftNode node = context.getBean(RaftNode.class);
            awaitLeader(node);
            node.close();
            Health health = context.getBean(RaftxHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason").toString()).contains("not running");
        });
    }

    @Test
    void isOutOfServiceWhileCatchingUp() {
        RaftNode node = mock(RaftNode.class);
        given(node.status()).willReturn(new NodeStatus("n2", Role.FOLLOWER, 3, "n1", 5_000, 100, 5_000,
                Membership.ofVoters(List.of("n1", "n2", "n3")), 200));
        given(node.read(any(ReadConsistency.class), any())).willReturn(CompletableFuture.completedFuture(true));
        RaftxHealthIndicator indicator = new RaftxHealthIndicator(node, 1_000);
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("applyLag", 4_900L);
        assertThat(new RaftxHealthIndicator(node, 5_000).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void canBeDisabled() {
        runner.withPropertyValues(singleNode(dir)).withPropertyValues("management.health.raftx.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RaftxHealthIndicator.class));
    }

    @Test
    void needsSpringBootHealth() {
        runner.withPropertyValues(singleNode(dir)).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxHealthIndicator.class));
    }

    @Test
    void needsARunningNodeConfiguration() {
        runner.withPropertyValues("raftx.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxHealthIndicator.class));
    }

    @Test
    void backsOffForTheApplicationsIndicator() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(OwnIndicator.class).run(context ->
                assertThat(context.getBean("raftxHealthIndicator")).isSameAs(context.getBean(OwnIndicator.class).own));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIndicator {
        final HealthIndicator own = () -> Health.up().build();

        @Bean
        HealthIndicator raftxHealthIndicator() {
            return own;
        }
    }
}
