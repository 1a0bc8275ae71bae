package io.raftx.spring.autoconfigure;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.NodeConfig;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.node.ShutdownException;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatchAnnotationBeanPostProcessor;
import io.raftx.spring.watch.ClusterWatchRegistry;
import io.raftx.spring.watch.WatchSource;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.storage.MemoryRaftStorage;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.Transport;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class RaftxAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class));

    @Test
    void runsASingleNodeClusterWithEveryBeanAndStoresTheLogInTheDataDirectory() {
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            assertThat(context).hasSingleBean(RaftxNodeSettings.class).hasSingleBean(MvStoreRaftStorage.class)
                    .hasSingleBean(KvStateMachine.class).hasSingleBean(GrpcTransport.class)
                    .hasSingleBean(RaftNode.class).hasSingleBean(RaftxNodeLifecycle.class)
                    .hasSingleBean(KvClient.class).hasSingleBean(RaftxClusterOperations.class)
                    .hasSingleBean(StringRaftxTemplate.class).hasSingleBean(ClusterWatchRegistry.class)
                    .hasSingleBean(ClusterWatchAnnotationBeanPostProcessor.class)
                    .hasSingleBean(VolatileExtension.class).hasSingleBean(VolatileClient.class)
                    .hasBean("raftxVolatileWatchHub").hasSingleBean(SnapshotStore.class);
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
            template.set("app.greeting", "hello");
            assertThat(template.get("app.greeting")).contains("hello");
            assertThat(context.getBean(RaftxNodeLifecycle.class).isRunning()).isTrue();
        });
        assertThat(dir.resolve("n1").resolve(RaftxAutoConfiguration.STORAGE_FILE)).exists();
    }

    @Test
    void keepsDataAcrossRestarts() {
        String[] properties = singleNode(dir);
        runner.withPropertyValues(properties).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            context.getBean(StringRaftxTemplate.class).set("app.kept", "yes");
        });
        runner.withPropertyValues(properties).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            assertThat(context.getBean(StringRaftxTemplate.class).get("app.kept")).contains("yes");
        });
    }

    @Test
    void restartsFromASnapshotWithoutReplayingItsEvents() {
        String[] properties = singleNode(dir);
        runner.withPropertyValues(properties).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
            template.set("app.a", "1");
            template.set("app.b", "2");
            assertThat(template.opsForCluster().snapshot()).isPositive();
        });
        assertThat(dir.resolve("n1").resolve(RaftxAutoConfiguration.SNAPSHOT_DIRECTORY)).isNotEmptyDirectory();
        runner.withPropertyValues(properties).withUserConfiguration(AppWatcher.class).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate template = context.getBean(StringRaftxTemplate.class);
            assertThat(template.scan("app.")).containsOnlyKeys("app.a", "app.b");
            template.set("app.c", "3");
            AppWatcher watcher = context.getBean(AppWatcher.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !watcher.keys.isEmpty());
            assertThat(watcher.keys).containsExactly("app.c"); // the restored state fired nothing
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("raftx.enabled=false").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(RaftNode.class).doesNotHaveBean(RaftxNodeSettings.class));
    }

    @Test
    void backsOffWithoutTheCoreOnTheClasspath() {
        runner.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(RaftNode.class))
                .withPropertyValues(singleNode(dir))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxNodeSettings.class));
    }

    @Test
    void usesTheApplicationsStorageStateMachineAndTransport() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(OwnInfrastructure.class).run(context -> {
            assertThat(context.getBean(RaftStorage.class)).isSameAs(context.getBean("ownStorage"));
            assertThat(context.getBean(KvStateMachine.class)).isSameAs(context.getBean("ownStateMachine"));
            assertThat(context).doesNotHaveBean(GrpcTransport.class).hasSingleBean(Transport.class);
            assertThat(dir.resolve("n1").resolve(RaftxAutoConfiguration.STORAGE_FILE)).doesNotExist();
        });
    }

    @Test
    void usesTheApplicationsClientTemplateAndRegistry() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(OwnClients.class).run(context -> {
            assertThat(context.getBean(KvClient.class)).isSameAs(context.getBean("ownKvClient"));
            assertThat(context.getBean(StringRaftxTemplate.class)).isSameAs(context.getBean("ownTemplate"));
            assertThat(context.getBean(RaftxClusterOperations.class)).isSameAs(context.getBean("ownCluster"));
            assertThat(context.getBean(ClusterWatchRegistry.class)).isSameAs(context.getBean("ownRegistry"));
        });
    }

    @Test
    void usesTheApplicationsNode() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(OwnInfrastructure.class, OwnNode.class)
                .run(context -> assertThat(context.getBean(RaftNode.class)).isSameAs(context.getBean("ownNode")));
    }

    @Test
    void appliesNodeConfigAndTransportCustomizers() {
        runner.withPropertyValues(singleNode(dir)).withUserConfiguration(Customizers.class).run(context -> {
            RaftNode node = context.getBean(RaftNode.class);
            awaitLeader(node);
            assertThat(context.getBean(GrpcTransport.class).config().voteTimeout()).isEqualTo(Duration.ofMillis(321));
            assertThat(Customizers.customized).isNotNull();
            assertThat(Customizers.customized.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
        });
    }

    @Test
    void defaultsTheDataDirectoryAndAddress() {
        runner.withPropertyValues("raftx.node-id=solo").withUserConfiguration(MemoryStorage.class).run(context -> {
            RaftxNodeSettings settings = context.getBean(RaftxNodeSettings.class);
            assertThat(settings.dataDir()).isEqualTo(Path.of("data", "solo"));
            assertThat(settings.address()).isEqualTo(RaftxNodeSettings.DEFAULT_ADDRESS);
            assertThat(settings.members()).containsExactly(java.util.Map.entry("solo", "127.0.0.1:7100"));
        });
    }

    @Test
    void stopsTheNodeWithTheContext() {
        RaftNode[] node = new RaftNode[1];
        runner.withPropertyValues(singleNode(dir)).run(context -> {
            node[0] = context.getBean(RaftNode.class);
            awaitLeader(node[0]);
        });
        assertThatThrownBy(() -> node[0].read(ReadConsistency.LOCAL, () -> 1)).isInstanceOf(ShutdownException.class);
        assertThat(Files.exists(dir.resolve("n1").resolve(RaftxAutoConfiguration.STORAGE_FILE))).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    static class AppWatcher {
        final java.util.List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();

        @io.raftx.spring.watch.ClusterWatch("app.**")
        void onChange(String key, String value) {
            keys.add(key);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MemoryStorage {
        @Bean
        RaftStorage ownStorage() {
            return new MemoryRaftStorage();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInfrastructure extends MemoryStorage {
        @Bean
        KvStateMachine ownStateMachine() {
            return new KvStateMachine();
        }

        @Bean
        Transport ownTransport() {
            // The volatile keyspace's messages need the extension capability.
            return mock(Transport.class, org.mockito.Mockito.withSettings()
                    .extraInterfaces(io.raftx.transport.ExtensionMessaging.class));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnNode {
        @Bean
        RaftNode ownNode(RaftStorage storage, Transport transport, KvStateMachine stateMachine) {
            return new RaftNode(NodeConfig.of("n1", java.util.List.of("n1")), storage, transport, stateMachine);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClients {
        @Bean
        KvClient ownKvClient(RaftNode node, KvStateMachine stateMachine) {
            return new KvClient(node, stateMachine);
        }

        @Bean
        RaftxClusterOperations ownCluster() {
            return mock(RaftxClusterOperations.class);
        }

        @Bean
        StringRaftxTemplate ownTemplate(KvClient kv, RaftxClusterOperations cluster) {
            return new StringRaftxTemplate(kv, cluster);
        }

        @Bean
        ClusterWatchRegistry ownRegistry(KvStateMachine stateMachine) {
            return new ClusterWatchRegistry(WatchSource.of(stateMachine.watches()), null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        static volatile NodeConfig customized;

        @Bean
        RaftxNodeConfigCustomizer longerTimeout() {
            return config -> {
                customized = config.withRequestTimeout(Duration.ofSeconds(7));
                return customized;
            };
        }

        @Bean
        RaftxTransportCustomizer slowVotes() {
            return builder -> builder.voteTimeout(Duration.ofMillis(321));
        }
    }
}
