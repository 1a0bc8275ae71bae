package io.raftx.spring.core;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.volatilenode.VolatileConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** RaftxTemplate against a running single-node cluster. */
class RaftxTemplateTests {

    @TempDir
    Path dir;

    private void withTemplate(ContextConsumer<AssertableApplicationContext> test, String... extraProperties) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
                .withUserConfiguration(RecordingObserver.class)
                .withPropertyValues(singleNode(dir)).withPropertyValues(extraProperties)
                .run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    test.accept(context);
                });
    }

    @Test
    void readsAndWritesKeys() {
        withTemplate(context -> {
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            long first = t.set("app.a", "1");
            long second = t.set("app.a", "2");
            assertThat(second).isGreaterThan(first);
            for (ReadConsistency c : ReadConsistency.values()) {
                assertThat(t.get("app.a", c)).as(c.name()).contains("2");
            }
            assertThat(t.get("app.missing")).isEmpty();
            RaftxEntry<String> entry = t.getEntry("app.a", ReadConsistency.LINEARIZABLE).orElseThrow();
            assertThat(entry).isEqualTo(new RaftxEntry<>("app.a", "2", first, second, 2));

            assertThat(t.putIfAbsent("app.b", "x")).isTrue();
            assertThat(t.putIfAbsent("app.b", "y")).isFalse();
            assertThat(t.update("app.b", "z")).isTrue();
            assertThat(t.update("app.nothing", "z")).isFalse();
            assertThat(t.compareAndSet("app.b", "z", "w")).isTrue();
            assertThat(t.compareAndSet("app.b", "z", "v")).isFalse();
            assertThat(t.compareAndSet("app.c", null, "new")).isTrue();
            assertThat(t.compareAndSet("app.c", null, "again")).isFalse();
            assertThat(t.get("app.b")).contains("w");

            assertThat(t.delete("app.c")).isTrue();
            assertThat(t.delete("app.c")).isFalse();

            t.set("other.k", "o");
            assertThat(t.scan("app.")).containsExactly(Map.entry("app.a", "2"), Map.entry("app.b", "w"));
            RaftxScan<String> page = t.scan("", 2, ReadConsistency.LOCAL);
            assertThat(page.entries()).extracting(RaftxEntry::key).containsExactly("app.a", "app.b");
            assertThat(page.more()).isTrue();
        });
    }

    @Test
    void runsTransactionsOnEitherBranch() {
        withTemplate(context -> {
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            t.set("cfg.mode", "blue");
            t.set("cfg.pending", "1");
            RaftxTransactionResult<String> switched = t.transaction()
                    .ifValue("cfg.mode", "blue").ifPresent("cfg.pending")
                    .thenSet("cfg.mode", "green").thenDelete("cfg.pending").thenGet("cfg.mode")
                    .elseGet("cfg.mode")
                    .execute();
            assertThat(switched.succeeded()).isTrue();
            assertThat(switched.values()).containsExactly(Map.entry("cfg.mode", "green"));
            assertThat(switched.deleted()).isEqualTo(1);

            RaftxTransactionResult<String> refused = t.transaction()
                    .ifValue("cfg.mode", "blue").thenSet("cfg.mode", "red").elseGet("cfg.mode").execute();
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.values()).containsExactly(Map.entry("cfg.mode", "green"));
            assertThat(refused.revision()).isEqualTo(switched.revision());

            long rev = t.getEntry("cfg.mode", ReadConsistency.LINEARIZABLE).orElseThrow().modRevision();
            assertThat(t.transaction().ifModRevision("cfg.mode", rev).ifVersion("cfg.mode", 2)
                    .ifAbsent("cfg.pending").thenSet("cfg.mode", "red").execute().succeeded()).isTrue();
        });
    }

    @Test
    void asyncViewCompletesOffTheEventLoopWithTranslatedErrors() {
        withTemplate(context -> {
            AsyncRaftxOperations<String> async = context.getBean(StringRaftxTemplate.class).async();
            AtomicReference<String> thread = new AtomicReference<>();
            long revision = async.set("async.k", "v").thenApply(r -> {
                thread.set(Thread.currentThread().getName());
                return r;
            }).get();
            assertThat(revision).isPositive();
            assertThat(thread.get()).doesNotStartWith("raftx-loop");
            assertThat(async.get("async.k").get()).contains("v");
            assertThat(async.getEntry("async.k", ReadConsistency.LEASE).get()).isPresent();
            assertThat(async.putIfAbsent("async.k", "w").get()).isFalse();
            assertThat(async.update("async.k", "w").get()).isTrue();
            assertThat(async.compareAndSet("async.k", "w", "x").get()).isTrue();
            assertThat(async.scan("async.").get()).containsExactly(Map.entry("async.k", "x"));
            assertThat(async.scan("async.", 10, ReadConsistency.LOCAL).get().entries()).hasSize(1);
            assertThat(async.transaction().ifPresent("async.k").thenDelete("async.k").executeAsync().get()
                    .deleted()).isEqualTo(1);
            assertThat(async.delete("async.k").get()).isFalse();

            CompletableFuture<Long> invalid = async.set("", "v");
            assertThatThrownBy(invalid::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RaftxInvalidRequestException.class);
            assertThat(invalid.handle((r, e) -> e).get()).isInstanceOf(RaftxInvalidRequestException.class);
        });
    }

    @Test
    void convertsValuesWithPluggableSerializers() {
        withTemplate(context -> {
            StringRaftxTemplate strings = context.getBean(StringRaftxTemplate.class);
            RaftxTemplate<Order> orders = strings.withSerializer(new JsonRaftxValueSerializer<>(Order.class));
            orders.set("orders.1", new Order("book", 2));
            assertThat(orders.get("orders.1")).contains(new Order("book", 2));
            assertThat(strings.get("orders.1")).contains("{\"item\":\"book\",\"quantity\":2}");
            assertThat(orders.compareAndSet("orders.1", new Order("book", 2), new Order("book", 3))).isTrue();

            RaftxTemplate<byte[]> bytes = strings.withSerializer(RaftxValueSerializer.byteArray());
            bytes.set("raw.k", new byte[] {1, 2, 3});
            assertThat(bytes.get("raw.k")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));

            strings.set("orders.bad", "not json");
            assertThatThrownBy(() -> orders.get("orders.bad")).isInstanceOf(RaftxSerializationException.class)
                    .hasMessageContaining("Order");
            RaftxTemplate<String> failing = strings.withSerializer(new RaftxValueSerializer<>() {
                public byte[] serialize(String value) {
                    throw new IllegalStateException("boom");
                }

                public String deserialize(byte[] bytes) {
                    return "";
                }
            });
            assertThatThrownBy(() -> failing.set("k", "v")).isInstanceOf(RaftxSerializationException.class)
                    .hasMessageContaining("boom");
        });
    }

    @Test
    void rejectsInvalidRequestsBeforeProposing() {
        withTemplate(context -> {
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            assertThatThrownBy(() -> t.set("k".repeat(20), "v")).isInstanceOf(RaftxInvalidRequestException.class)
                    .hasMessageContaining("set '" + "k".repeat(20) + "' failed").hasMessageContaining("maxKeyBytes");
            assertThatThrownBy(() -> t.set("k", "v".repeat(20))).isInstanceOf(RaftxInvalidRequestException.class)
                    .hasMessageContaining("maxValueBytes");
            assertThatThrownBy(() -> t.set("k", null)).isInstanceOf(RaftxInvalidRequestException.class);
            assertThatThrownBy(() -> t.set(null, "v")).isInstanceOf(RaftxInvalidRequestException.class);
            assertThatThrownBy(() -> t.get("k", null)).isInstanceOf(RaftxInvalidRequestException.class);
            assertThatThrownBy(() -> t.transaction().thenSet("a", "1").thenSet("b", "2").thenSet("c", "3").execute())
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("maxTxnOps");
            assertThat(t.get("k")).isEmpty();
            assertThat(RecordingObserver.outcomes).contains(RaftxRequestObserver.Outcome.INVALID);
        }, "raftx.limits.max-key-size=10B", "raftx.limits.max-value-size=10B", "raftx.limits.max-txn-ops=2");
    }

    @Test
    void keepsVolatileKeysWithTtls() {
        withTemplate(context -> {
            RaftxVolatileOperations<String> v = context.getBean(StringRaftxTemplate.class).opsForVolatile();
            assertThat(v.set("session.a", "1", null)).isPositive();
            assertThat(v.get("session.a")).contains("1");
            assertThat(v.get("session.a", VolatileConsistency.LOCAL)).contains("1");
            assertThat(v.putIfAbsent("session.a", "2", null)).isFalse();
            assertThat(v.putIfAbsent("session.b", "2", Duration.ofMillis(100))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> v.get("session.b").isEmpty());
            assertThat(v.delete("session.a")).isTrue();
            assertThat(v.delete("session.a")).isFalse();
            v.addToSet("online", "n1", null);
            v.addToSet("online", "n2", Duration.ofSeconds(30));
            v.removeFromSet("online", "n1");
            assertThat(v.members("online", VolatileConsistency.STRONG)).containsExactly("n2");
            assertThatThrownBy(() -> v.get("online")).isInstanceOf(RaftxInvalidRequestException.class)
                    .hasMessageContaining("holds a set");
            assertThat(context.getBean(StringRaftxTemplate.class).get("session.a")).isEmpty(); // separate keyspaces
        });
    }

    @Test
    void aTemplateWithoutVolatileKeysSaysSo() {
        withTemplate(context -> {
            RaftxTemplate<String> plain = new RaftxTemplate<>(context.getBean(io.raftx.kv.KvClient.class),
                    context.getBean(RaftxClusterOperations.class), RaftxValueSerializer.string());
            assertThatThrownBy(plain::opsForVolatile).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void reportsAStoppedNodeAsUnavailable() {
        withTemplate(context -> {
            context.getBean(RaftNode.class).close();
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            assertThatThrownBy(() -> t.set("k", "v")).isInstanceOf(RaftxNodeUnavailableException.class)
                    .satisfies(e -> assertThat(((RaftxException) e).definitelyNotApplied()).isTrue());
            assertThatThrownBy(() -> t.get("k")).isInstanceOf(RaftxNodeUnavailableException.class);
        });
    }

    @Test
    void reportsAMissingLeaderAsNotApplied() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
                .withPropertyValues("raftx.node-id=n1", "raftx.data-dir=" + dir, "raftx.timing.tick=10ms",
                        "raftx.request-timeout=300ms",
                        "raftx.members.n1=127.0.0.1:" + io.raftx.spring.RaftxTestSupport.freePort(),
                        "raftx.members.n2=127.0.0.1:" + io.raftx.spring.RaftxTestSupport.freePort(),
                        "raftx.members.n3=127.0.0.1:" + io.raftx.spring.RaftxTestSupport.freePort())
                .run(context -> {
                    StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
                    assertThatThrownBy(() -> t.set("k", "v")).isInstanceOf(RaftxNoLeaderException.class)
                            .hasMessageContaining("set 'k' failed: no leader");
                    assertThatThrownBy(() -> t.get("k")).isInstanceOf(RaftxNoLeaderException.class);
                    assertThat(t.get("k", ReadConsistency.LOCAL)).isEmpty(); // local reads need no leader
                });
    }

    @Test
    void tellsTheObserverAboutEveryRequest() {
        withTemplate(context -> {
            RecordingObserver.requests.clear();
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            t.set("obs.k", "v");
            t.get("obs.k", ReadConsistency.LEASE);
            assertThat(RecordingObserver.requests).extracting(r -> r.operation() + "/" + r.write() + "/"
                    + r.consistency() + "/" + r.outcome())
                    .containsExactly("set/true/null/SUCCESS", "get/false/LEASE/SUCCESS");
            assertThat(RecordingObserver.requests).allSatisfy(r -> assertThat(r.durationNanos()).isPositive());
        });
    }

    @Test
    void showsTheClusterAndRefusesBadTransfers() {
        withTemplate(context -> {
            RaftxClusterOperations cluster = context.getBean(StringRaftxTemplate.class).opsForCluster();
            assertThat(cluster.localNodeId()).isEqualTo("n1");
            assertThat(cluster.isLeader()).isTrue();
            assertThat(cluster.leaderId()).contains("n1");
            assertThat(cluster.status().role()).isEqualTo(Role.LEADER);
            assertThat(cluster.members()).containsOnlyKeys("n1");
            assertThat(cluster.members().get("n1")).startsWith("127.0.0.1:");
            assertThat(cluster.learners()).isEmpty();
            cluster.transferLeadership("n1"); // already leads: nothing to do
            assertThatThrownBy(() -> cluster.transferLeadership("n9"))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("not a voter");
            assertThatThrownBy(() -> cluster.addMember("n1", "127.0.0.1:1"))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("already a member");
            assertThatThrownBy(() -> cluster.addMember("bad id", "127.0.0.1:1"))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("invalid node id");
            assertThatThrownBy(() -> cluster.addMember("n2", "nowhere"))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("invalid address");
            assertThatThrownBy(() -> cluster.removeMember("n9"))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("not a member");
            assertThatThrownBy(() -> cluster.removeMemberAsync("n9").join())
                    .hasCauseInstanceOf(RaftxInvalidRequestException.class);
            assertThatThrownBy(() -> cluster.transferLeadershipAsync("n9").join())
                    .hasCauseInstanceOf(RaftxInvalidRequestException.class);
        });
    }

    record Order(String item, int quantity) {
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingObserver {
        static final List<RaftxRequestObserver.CompletedRequest> requests = new CopyOnWriteArrayList<>();
        static final List<RaftxRequestObserver.Outcome> outcomes = new CopyOnWriteArrayList<>();

        @Bean
        RaftxRequestObserver recordingObserver() {
            return request -> {
                requests.add(request);
                outcomes.add(request.outcome());
            };
        }
    }
}
