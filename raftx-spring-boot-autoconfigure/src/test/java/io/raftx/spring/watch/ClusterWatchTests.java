package io.raftx.spring.watch;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.RaftNode;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.core.StringRaftxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

class ClusterWatchTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
                .withPropertyValues(singleNode(dir));
    }

    @Test
    void callsEverySignatureInRevisionOrderAndContainsFailures() {
        runner().withUserConfiguration(Listeners.class).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            t.set("ai.model.threshold", "0.7");
            t.set("other.key", "ignored");
            t.set("ai.mode", "fast");
            t.delete("ai.mode");
            Listeners l = context.getBean(Listeners.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> l.withType.size() == 3 && l.onExecutor.size() == 3);
            assertThat(l.events).extracting(WatchEvent::keyAsString)
                    .containsExactly("ai.model.threshold", "ai.mode", "ai.mode");
            assertThat(l.pairs).containsExactly("ai.model.threshold=0.7", "ai.mode=fast", "ai.mode=null");
            assertThat(l.withType).containsExactly("PUT ai.model.threshold", "PUT ai.mode", "DELETE ai.mode");
            assertThat(l.singleSegment).containsExactly("ai.mode=fast", "ai.mode=null");
            assertThat(l.onExecutor).hasSize(3);
            assertThat(l.executorThreads).allMatch(name -> name.startsWith("watch-executor"));

            ClusterWatchStats failing = stats(context.getBean(ClusterWatchRegistry.class), ".alwaysFails");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    stats(context.getBean(ClusterWatchRegistry.class), ".alwaysFails").failed() == 3);
            assertThat(failing.pattern()).isEqualTo("ai.**");
            ClusterWatchStats healthy = stats(context.getBean(ClusterWatchRegistry.class), ".onEvent");
            assertThat(healthy.delivered()).isEqualTo(3);
            assertThat(healthy.failed()).isZero();
        });
    }

    @Test
    void resumesAMethodThatFellTooFarBehindWithoutLosingEvents() {
        runner().withPropertyValues("raftx.watch.queue-capacity=2").withUserConfiguration(SlowListener.class)
                .run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
                    List<CompletableFuture<Long>> writes = new ArrayList<>();
                    IntStream.range(0, 30).forEach(i -> writes.add(t.async().set("slow.k" + i, "v" + i)));
                    writes.forEach(CompletableFuture::join);
                    SlowListener l = context.getBean(SlowListener.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> l.keys.size() >= 30);
                    assertThat(l.keys).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "slow.k" + i)
                            .toList());
                    assertThat(stats(context.getBean(ClusterWatchRegistry.class), "SlowListener.onChange").resumed())
                            .isPositive();
                });
    }

    @Test
    void rejectsAnUnsupportedSignatureAtStartUp() {
        runner().withUserConfiguration(BadSignature.class).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("unsupported signature")
                .hasMessageContaining("(WatchEvent)"));
    }

    @Test
    void rejectsAnInvalidPatternAtStartUp() {
        runner().withUserConfiguration(BadPattern.class).run(context -> assertThat(context).hasFailed()
                .getFailure().hasMessageContaining("Invalid @ClusterWatch").hasMessageContaining("'**' is only allowed"));
    }

    @Test
    void rejectsAnUnknownExecutorAtStartUp() {
        runner().withUserConfiguration(UnknownExecutor.class).run(context -> assertThat(context).hasFailed()
                .getFailure().hasMessageContaining("names executor 'nope'"));
    }

    @Test
    void volatileKeyMethodsSeeVolatileChangesIncludingExpiry() {
        runner().withUserConfiguration(VolatileListener.class).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate t = context.getBean(StringRaftxTemplate.class);
            t.set("session.persistent", "not volatile");
            t.opsForVolatile().set("session.a", "1", Duration.ofMillis(200));
            VolatileListener l = context.getBean(VolatileListener.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> l.events.size() == 2);
            assertThat(l.events).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
            assertThat(l.events).allMatch(WatchEvent::volatileKey).allMatch(e -> e.keyAsString().equals("session.a"));
            assertThat(stats(context.getBean(ClusterWatchRegistry.class), "VolatileListener.onChange").delivered())
                    .isEqualTo(2);
        });
    }

    @Test
    void ignoresMethodsOfPrototypeBeans() {
        runner().withUserConfiguration(PrototypeListener.class).run(context -> {
            context.getBean(PrototypeListener.Listener.class);
            assertThat(context.getBean(ClusterWatchRegistry.class).stats()).isEmpty();
        });
    }

    private static ClusterWatchStats stats(ClusterWatchRegistry registry, String listener) {
        return registry.stats().stream().filter(s -> s.listener().endsWith(listener)).findFirst().orElseThrow();
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final List<String> pairs = new CopyOnWriteArrayList<>();
        final List<String> withType = new CopyOnWriteArrayList<>();
        final List<String> singleSegment = new CopyOnWriteArrayList<>();
        final List<String> onExecutor = new CopyOnWriteArrayList<>();
        final List<String> executorThreads = new CopyOnWriteArrayList<>();

        @Bean
        Executor watchExecutor() {
            return command -> new Thread(command, "watch-executor").start();
        }

        @ClusterWatch("ai.**")
        void onEvent(WatchEvent event) {
            events.add(event);
        }

        @ClusterWatch("ai.**")
        void onPair(String key, String value) {
            pairs.add(key + "=" + value);
        }

        @ClusterWatch(pattern = "ai.**")
        void onTyped(String key, String value, WatchEvent.Type type) {
            withType.add(type + " " + key);
        }

        @ClusterWatch("ai.*")
        void onSingleSegment(String key, String value) {
            singleSegment.add(key + "=" + value);
        }

        @ClusterWatch("ai.**")
        void alwaysFails(WatchEvent event) {
            throw new IllegalStateException("listener bug");
        }

        @ClusterWatch(value = "ai.**", executor = "watchExecutor")
        void onExecutor(WatchEvent event) {
            executorThreads.add(Thread.currentThread().getName());
            onExecutor.add(event.keyAsString());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowListener {
        final List<String> keys = new CopyOnWriteArrayList<>();

        @ClusterWatch("slow.*")
        void onChange(String key, String value) throws InterruptedException {
            Thread.sleep(20);
            keys.add(key);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadSignature {
        @ClusterWatch("a.**")
        void onChange(String key) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadPattern {
        @ClusterWatch("**.a")
        void onChange(WatchEvent event) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownExecutor {
        @ClusterWatch(value = "a", executor = "nope")
        void onChange(WatchEvent event) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class VolatileListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();

        @ClusterWatch(value = "session.**", volatileKeys = true)
        void onChange(WatchEvent event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeListener {
        @Bean
        @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
        Listener listener() {
            return new Listener();
        }

        static class Listener {
            @ClusterWatch("**")
            void onChange(WatchEvent event) {
            }
        }
    }
}
