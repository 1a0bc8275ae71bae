package io.raftx.spring.autoconfigure.coordination;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.core.RaftxCoordination;
import io.raftx.spring.core.RaftxElectionOperations;
import io.raftx.spring.core.RaftxLock;
import io.raftx.spring.core.RaftxLockOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.event.RaftxEvent;
import io.raftx.spring.event.RaftxEventPublisher;
import io.raftx.spring.event.RaftxLeaderChangedEvent;
import io.raftx.spring.event.RaftxLockLostEvent;
import io.raftx.spring.event.RaftxRoleChangedEvent;
import io.raftx.spring.event.RaftxStatusEvents;
import io.raftx.spring.integration.RaftxLeaderInitiator;
import io.raftx.spring.integration.RaftxLockRegistry;
import io.raftx.spring.shedlock.RaftxLockProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/** Which coordination beans appear under which conditions, and the events of a single node. */
class RaftxCoordinationAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                    RaftxCoordinationAutoConfiguration.class, RaftxIntegrationAutoConfiguration.class,
                    RaftxShedLockAutoConfiguration.class));

    @Test
    void providesLocksElectionsEventsAndTheIntegrationsOnTheirClasspath() {
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            assertThat(context).hasSingleBean(RaftxLockOperations.class)
                    .hasSingleBean(RaftxElectionOperations.class).hasSingleBean(RaftxCoordination.class)
                    .hasSingleBean(RaftxEventPublisher.class).hasSingleBean(RaftxStatusEvents.class)
                    .hasSingleBean(RaftxLockRegistry.class).hasSingleBean(RaftxLockProvider.class)
                    .doesNotHaveBean(RaftxLeaderInitiator.class); // no Candidate bean
            StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
            assertThat(template.opsForLocks()).isSameAs(context.getBean(RaftxLockOperations.class));
            assertThat(template.opsForElection()).isSameAs(context.getBean(RaftxElectionOperations.class));
        });
    }

    @Test
    void integrationsBackOffWithoutTheirLibrary() {
        runner.withPropertyValues(singleNode(dir))
                .withClassLoader(new FilteredClassLoader(LockRegistry.class, LockProvider.class)).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(RaftxLockRegistry.class)
                            .doesNotHaveBean(RaftxLockProvider.class).hasSingleBean(RaftxLockOperations.class);
                });
    }

    @Test
    void theApplicationsOwnRegistryAndProviderWin() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(OwnIntegrations.class).run(context -> {
            assertThat(context).doesNotHaveBean(RaftxLockRegistry.class).doesNotHaveBean(RaftxLockProvider.class)
                    .hasSingleBean(LockRegistry.class).hasSingleBean(LockProvider.class);
        });
    }

    @Test
    void aCandidateBeanGetsALeaderInitiatorUnlessSwitchedOff() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(WithCandidate.class)
                .run(context -> assertThat(context).hasSingleBean(RaftxLeaderInitiator.class));
        runner.withPropertyValues(singleNode(dir)).withPropertyValues("raftx.coordination.leader-initiator=false")
                .withUserConfiguration(WithCandidate.class)
                .run(context -> assertThat(context).doesNotHaveBean(RaftxLeaderInitiator.class));
    }

    @Test
    void noCoordinationWhenRaftxIsDisabled() {
        runner.withPropertyValues("raftx.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(RaftxLockOperations.class).doesNotHaveBean(RaftxLockRegistry.class)
                .doesNotHaveBean(RaftxLockProvider.class).doesNotHaveBean(RaftxEventPublisher.class));
    }

    @Test
    void publishesRoleAndLeaderChangesInOrderAndALostLock() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(Recorder.class).run(context -> {
            RaftNode node = context.getBean(RaftNode.class);
            awaitLeader(node);
            List<RaftxEvent> events = context.getBean(Recorder.class).events;
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                    .anyMatch(e -> e instanceof RaftxLeaderChangedEvent l && "n1".equals(l.getLeaderId())));
            List<RaftxRoleChangedEvent> roles = events.stream().filter(RaftxRoleChangedEvent.class::isInstance)
                    .map(RaftxRoleChangedEvent.class::cast).toList();
            assertThat(roles).isNotEmpty();
            assertThat(roles.get(0).getPreviousRole()).isNull();
            for (int i = 1; i < roles.size(); i++) {
                assertThat(roles.get(i).getPreviousRole()).as("role events chain")
                        .isEqualTo(roles.get(i - 1).getRole());
            }
            assertThat(roles.get(roles.size() - 1).getRole()).isEqualTo(Role.LEADER);
            RaftxLeaderChangedEvent leader = events.stream().filter(RaftxLeaderChangedEvent.class::isInstance)
                    .map(RaftxLeaderChangedEvent.class::cast).reduce((a, b) -> b).orElseThrow();
            assertThat(leader.isLocalNodeLeader()).isTrue();

            RaftxLock lock = context.getBean(StringRaftxTemplate.class).opsForLocks()
                    .acquire("jobs.report", Duration.ofMillis(300), Duration.ofSeconds(5));
            List<String> lostCallback = new CopyOnWriteArrayList<>();
            lock.onLost(lostCallback::add);
            node.close(); // renewals cannot get through any more
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> events.stream().anyMatch(RaftxLockLostEvent.class::isInstance));
            RaftxLockLostEvent lost = events.stream().filter(RaftxLockLostEvent.class::isInstance)
                    .map(RaftxLockLostEvent.class::cast).findFirst().orElseThrow();
            assertThat(lost.getLockName()).isEqualTo("jobs.report");
            assertThat(lost.getFencingToken()).isEqualTo(lock.fencingToken());
            assertThat(lock.isValid()).isFalse();
            await().atMost(Duration.ofSeconds(1)).until(() -> lostCallback.size() == 1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder implements ApplicationListener<RaftxEvent> {
        final List<RaftxEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(RaftxEvent event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WithCandidate {
        @Bean
        Candidate candidate() {
            return new DefaultCandidate("me", "reports");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIntegrations {
        @Bean
        LockRegistry<?> myLockRegistry() {
            return new DefaultLockRegistry();
        }

        @Bean
        LockProvider myLockProvider() {
            return config -> java.util.Optional.empty();
        }
    }
}
