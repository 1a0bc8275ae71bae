package io.raftx.spring.autoconfigure;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.RaftNode;
import io.raftx.spring.core.RaftxValueSerializer;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Boot's application task executor present, asynchronous template completions and @ClusterWatch
 * deliveries run on it; {@code ${...}} placeholders in watch patterns resolve from the Environment.
 */
class ApplicationExecutorTests {

    @TempDir
    Path dir;

    @Test
    void asyncCompletionsAndWatchDeliveriesRunOnTheApplicationTaskExecutor() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                        TaskExecutionAutoConfiguration.class))
                .withPropertyValues(singleNode(dir))
                .withPropertyValues("spring.task.execution.thread-name-prefix=app-task-",
                        "watched.prefix=ai")
                .withUserConfiguration(Watcher.class)
                .run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
                    template.set("ai.mode", "fast");
                    assertThat(completionThread(template, "ai.mode")).startsWith("app-task-");
                    template.set("other.mode", "ignored");
                    Watcher watcher = context.getBean(Watcher.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.threads.size() == 1);
                    assertThat(watcher.threads.get(0)).startsWith("app-task-");
                    assertThat(watcher.keys).containsExactly("ai.mode");
                });
    }

    @Test
    void withoutAnApplicationExecutorFuturesStillCompleteOffTheCallersThread() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
                .withPropertyValues(singleNode(dir)).run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
                    template.set("k", "v");
                    assertThat(completionThread(template, "k")).isNotEqualTo(Thread.currentThread().getName())
                            .doesNotStartWith("raftx-loop"); // the common pool's
                });
    }

    /** The value is deserialized in the task that completes the future: the thread it runs on is the answer. */
    private static String completionThread(StringRaftxTemplate template, String key) {
        RaftxValueSerializer<String> threadName = new RaftxValueSerializer<>() {
            @Override
            public byte[] serialize(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(byte[] bytes) {
                return Thread.currentThread().getName();
            }
        };
        return template.withSerializer(threadName).async().get(key).join().orElseThrow();
    }

    @Configuration(proxyBeanMethods = false)
    static class Watcher {
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<String> keys = new CopyOnWriteArrayList<>();

        @ClusterWatch("${watched.prefix}.**")
        void onChange(WatchEvent event) {
            threads.add(Thread.currentThread().getName());
            keys.add(event.keyAsString());
        }
    }
}
