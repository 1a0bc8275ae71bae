package io.raftx.spring.autoconfigure.coordination;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.core.DefaultRaftxLockOperations;
import io.raftx.spring.core.RaftxElection;
import io.raftx.spring.core.RaftxElectionOperations;
import io.raftx.spring.core.RaftxLock;
import io.raftx.spring.core.RaftxLockLostException;
import io.raftx.spring.core.RaftxLockNotAcquiredException;
import io.raftx.spring.core.RaftxLockOperations;
import io.raftx.spring.integration.RaftxLockRegistry;
import io.raftx.spring.shedlock.RaftxLockProvider;
import io.raftx.volatilenode.VolatileClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/** Locks, elections and the integrations on one node: their contracts, and bad input that changes nothing. */
class RaftxLockOperationsTests {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                    RaftxCoordinationAutoConfiguration.class, RaftxIntegrationAutoConfiguration.class,
                    RaftxShedLockAutoConfiguration.class));

    private void withLeader(Consumer<AssertableApplicationContext> test) {
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            test.accept(context);
        });
    }

    /** Another instance's view of the same locks: a different owner on the same keyspace. */
    private static RaftxLockOperations otherInstance(AssertableApplicationContext context) {
        return new DefaultRaftxLockOperations(context.getBean(VolatileClient.class), "other", e -> { });
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        withLeader(context -> {
            RaftxLockOperations locks = context.getBean(RaftxLockOperations.class);
            RaftxLock held = locks.acquire("jobs.report", LEASE, WAIT);
            long token = held.fencingToken();

            assertThatThrownBy(() -> locks.tryAcquire("", LEASE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> locks.tryAcquire("x".repeat(300), LEASE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300 bytes");
            assertThatThrownBy(() -> locks.tryAcquire("jobs.*", LEASE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("without '*'");
            assertThatThrownBy(() -> locks.tryAcquire("jobs..x", LEASE)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> locks.tryAcquire("jobs.x", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
            assertThatThrownBy(() -> locks.tryAcquire("jobs.x", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
            assertThatThrownBy(() -> locks.tryAcquire("jobs.x", Duration.ofMillis(5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node ticks");
            assertThatThrownBy(() -> locks.tryAcquire("jobs.x", LEASE, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
            assertThatThrownBy(() -> locks.tryAcquire("jobs.report", LEASE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not reentrant");
            assertThatThrownBy(() -> otherInstance(context).acquire("jobs.report", LEASE, Duration.ofMillis(200)))
                    .isInstanceOf(RaftxLockNotAcquiredException.class).hasMessageContaining("not acquired within");

            assertThat(held.isValid()).isTrue(); // none of that touched the held lock
            assertThat(held.fencingToken()).isEqualTo(token);
            assertThat(locks.holder("jobs.report")).contains("n1");
            assertThat(locks.holder("jobs.x")).isEmpty();
            assertThat(locks.held()).containsExactly(held);

            held.release();
            assertThat(locks.holder("jobs.report")).isEmpty();
            assertThatThrownBy(held::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not held by this instance");
            held.close(); // try-with-resources after an explicit release: no error
            RaftxLock next = otherInstance(context).acquire("jobs.report", LEASE, WAIT);
            assertThat(next.fencingToken()).isGreaterThan(token);
            next.release();
        });
    }

    @Test
    void executeLockedRunsTheTaskUnderTheLockAndReportsALostOne() {
        withLeader(context -> {
            RaftxLockOperations locks = context.getBean(RaftxLockOperations.class);
            String result = locks.executeLocked("jobs.report", LEASE, lock -> {
                assertThat(locks.holder("jobs.report")).contains("n1");
                return "done with token " + lock.fencingToken();
            });
            assertThat(result).startsWith("done with token ");
            assertThat(locks.holder("jobs.report")).isEmpty();

            assertThatThrownBy(() -> locks.executeLocked("jobs.report", LEASE, lock -> {
                throw new java.io.IOException("task failed");
            })).isInstanceOf(java.io.IOException.class);
            assertThat(locks.holder("jobs.report")).as("released after the task failed").isEmpty();

            // Another instance takes the key over while the task runs (as after an expiry): the lease is lost.
            VolatileClient client = context.getBean(VolatileClient.class);
            assertThatThrownBy(() -> locks.executeLocked("jobs.stolen", Duration.ofMillis(600), lock -> {
                client.delete("raftx.locks.jobs.stolen").get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(3)).until(() -> !lock.isValid());
                return "late";
            })).isInstanceOf(RaftxLockLostException.class).hasMessageContaining("was lost while the task ran");
        });
    }

    @Test
    void electionsGrantYieldAndRefuseASecondJoin() {
        withLeader(context -> {
            RaftxElectionOperations elections = context.getBean(RaftxElectionOperations.class);
            List<String> calls = new CopyOnWriteArrayList<>();
            RaftxElection election = elections.join("reports", LEASE).addListener(new RaftxElection.Listener() {
                @Override
                public void granted(RaftxElection e, long token) {
                    calls.add("granted " + token);
                }

                @Override
                public void revoked(RaftxElection e, String reason) {
                    calls.add("revoked: " + reason);
                }
            });
            await().atMost(WAIT).until(election::isLeader);
            long token = election.fencingToken().orElseThrow();
            assertThat(elections.leader("reports")).contains("n1");
            assertThatThrownBy(() -> elections.join("reports")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already joined");
            assertThatThrownBy(() -> elections.join("")).isInstanceOf(IllegalArgumentException.class);

            election.yieldLeadership(); // the only candidate: it is elected again, with a new token
            await().atMost(WAIT).until(() -> election.fencingToken().orElse(token) > token);
            election.leave();
            assertThat(election.isLeader()).isFalse();
            assertThat(elections.joined()).isEmpty();
            assertThat(calls).hasSize(4);
            assertThat(calls.get(0)).isEqualTo("granted " + token);
            assertThat(calls.get(1)).startsWith("revoked");
            assertThat(calls.get(2)).startsWith("granted");
            assertThat(calls.get(3)).startsWith("revoked");
        });
    }

    @Test
    void theLockRegistryIsReentrantPerThreadAndRefusesUnlockByAnotherThread() {
        withLeader(context -> {
            RaftxLockRegistry registry = context.getBean(RaftxLockRegistry.class);
            RaftxLockOperations locks = context.getBean(RaftxLockOperations.class);
            Lock lock = registry.obtain("orders");
            lock.lock();
            assertThat(lock.tryLock()).as("reentrant for its thread").isTrue();
            lock.unlock();
            assertThat(CompletableFuture.supplyAsync(lock::tryLock).join()).as("another thread").isFalse();
            assertThatThrownBy(() -> CompletableFuture.runAsync(lock::unlock).join())
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(otherInstance(context).tryAcquire("integration.orders", LEASE)).as("another instance")
                    .isEmpty();
            lock.unlock();
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
            assertThat(locks.holder("integration.orders")).isEmpty();
            assertThatThrownBy(() -> registry.obtain("a*b")).isInstanceOf(IllegalArgumentException.class);

            try {
                assertThat(registry.executeLocked("orders", () -> locks.holder("integration.orders")))
                        .contains("n1");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void springIntegrationsLockRegistryLeaderInitiatorWorksOnTheRegistry() {
        withLeader(context -> {
            List<String> calls = new CopyOnWriteArrayList<>();
            DefaultCandidate candidate = new DefaultCandidate("me", "batch") {
                @Override
                public void onGranted(Context ctx) {
                    calls.add("granted");
                }

                @Override
                public void onRevoked(Context ctx) {
                    calls.add("revoked");
                }
            };
            LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(
                    context.getBean(RaftxLockRegistry.class), candidate);
            initiator.setHeartBeatMillis(100);
            initiator.start();
            try {
                await().atMost(WAIT).until(() -> initiator.getContext().isLeader());
                Thread.sleep(500); // a few heartbeats re-lock the held lock: it must stay granted
                assertThat(initiator.getContext().isLeader()).isTrue();
                assertThat(calls).containsExactly("granted");
                assertThat(context.getBean(RaftxLockOperations.class).holder("integration.batch")).contains("n1");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                initiator.stop();
            }
            await().atMost(WAIT).until(() -> calls.contains("revoked"));
        });
    }

    @Test
    void shedLockRunsATaskOnceAndKeepsTheLockForAtLeastItsMinimum() {
        withLeader(context -> {
            RaftxLockProvider provider = context.getBean(RaftxLockProvider.class);
            LockConfiguration config = new LockConfiguration(Instant.now(), "nightly", Duration.ofSeconds(30),
                    Duration.ofMillis(800));
            SimpleLock lock = provider.lock(config).orElseThrow();
            assertThat(provider.lock(config)).as("while held").isEmpty();
            lock.unlock();
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
            assertThat(provider.lock(config)).as("held for lockAtLeastFor after unlock").isEmpty();
            Optional<SimpleLock> later = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> provider.lock(config), Optional::isPresent);
            later.orElseThrow().unlock();
            assertThat(provider.lock(new LockConfiguration(Instant.now(), "nightly", Duration.ofSeconds(30),
                    Duration.ZERO))).isPresent();
        });
    }
}
