package io.raftx.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.watch.WatchHub;
import io.raftx.node.LoopExtension;
import io.raftx.node.NodeConfig;
import io.raftx.node.OnlineBackup;
import io.raftx.node.RaftNode;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import io.raftx.spring.core.DefaultRaftxClusterOperations;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.RaftxCoordination;
import io.raftx.spring.core.RaftxRequestObserver;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.spring.watch.ClusterWatchAnnotationBeanPostProcessor;
import io.raftx.spring.watch.ClusterWatchRegistry;
import io.raftx.spring.watch.WatchSource;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.storage.DataDirIdentity;
import io.raftx.storage.DataDirLayout;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.Transport;
import io.raftx.transport.TransportConfig;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileExtension;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Runs a RaftX node in the application: log and snapshots in {@code raftx.data-dir}, the gRPC peer transport, the
 * KV state machine, the volatile keyspace beside it, the node itself (started and stopped with the context), a
 * {@link KvClient}, a {@link VolatileClient}, a {@link StringRaftxTemplate} and {@code @ClusterWatch} support.
 * Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(RaftNode.class)
@ConditionalOnBooleanProperty(name = "raftx.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RaftxProperties.class)
public final class RaftxAutoConfiguration {

    /** The storage file inside the data directory; the same name the standalone server uses. */
    static final String STORAGE_FILE = DataDirLayout.STORAGE_FILE;

    static final String SNAPSHOT_DIRECTORY = DataDirLayout.SNAPSHOT_DIRECTORY;

    @Bean
    @ConditionalOnMissingBean
    RaftxNodeSettings raftxNodeSettings(RaftxProperties properties) {
        return RaftxNodeSettings.from(properties);
    }

    /** Completions and watch deliveries on Spring Boot's application task executor, when there is one. */
    @Bean
    ApplicationExecutor raftxApplicationExecutor(BeanFactory beanFactory) {
        return new ApplicationExecutor(beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    RaftStorage raftxStorage(RaftxNodeSettings settings, RaftxProperties properties) {
        int cacheMb = (int) Math.min(Integer.MAX_VALUE, properties.getStorage().getCacheSize().toMegabytes());
        MvStoreRaftStorage.Options defaults = MvStoreRaftStorage.Options.DEFAULTS;
        MvStoreRaftStorage.Options options = new MvStoreRaftStorage.Options(cacheMb,
                defaults.housekeepingIntervalCommits(), defaults.targetFillRate(), defaults.segmentEntries());
        Path dir = DataDirectory.prepare(settings.dataDir());
        DataDirIdentity.claim(dir, settings.transportConfig().clusterId(), settings.nodeId());
        return MvStoreRaftStorage.open(dir.resolve(STORAGE_FILE), options);
    }

    /** Snapshots of the state machine, next to the log; the node takes them by log size and ships them. */
    @Bean
    @ConditionalOnMissingBean
    SnapshotStore raftxSnapshotStore(RaftxNodeSettings settings) {
        return FileSnapshotStore.open(DataDirectory.prepare(settings.dataDir()).resolve(SNAPSHOT_DIRECTORY));
    }

    @Bean
    @ConditionalOnMissingBean
    KvStateMachine raftxStateMachine(RaftxNodeSettings settings, ApplicationExecutor executor) {
        return new KvStateMachine(executor.forWatches(settings.watchOptions()));
    }

    @Bean
    @ConditionalOnMissingBean(Transport.class)
    GrpcTransport raftxTransport(RaftxNodeSettings settings, ObjectProvider<RaftxTransportCustomizer> customizers) {
        TransportConfig.Builder builder = settings.transportConfig().toBuilder();
        customizers.orderedStream().forEach(c -> c.customize(builder));
        GrpcTransport transport;
        try {
            transport = new GrpcTransport(builder.build());
        } catch (IllegalArgumentException e) {
            // The TLS files exist (checked with the settings) but could not be parsed as certificates and key.
            throw new InvalidRaftxPropertyException("raftx.transport.tls", null, e.getMessage());
        }
        transport.updatePeers(settings.members());
        return transport;
    }

    /** The volatile keyspace's events; its own hub, since its revisions are volatile op indexes. */
    @Bean
    @ConditionalOnMissingBean(name = "raftxVolatileWatchHub")
    WatchHub raftxVolatileWatchHub(RaftxNodeSettings settings, ApplicationExecutor executor) {
        return new WatchHub(executor.forWatches(settings.watchOptions()));
    }

    @Bean
    @ConditionalOnMissingBean
    VolatileExtension raftxVolatileExtension(RaftxNodeSettings settings,
                                             @Qualifier("raftxVolatileWatchHub") WatchHub volatileWatches) {
        return new VolatileExtension(settings.volatileSettings(), settings.nodeConfig().tick(), volatileWatches);
    }

    @Bean
    @ConditionalOnMissingBean
    VolatileClient raftxVolatileClient(VolatileExtension extension) {
        return new VolatileClient(extension);
    }

    /** Runs every {@link LoopExtension} bean (the volatile keyspace among them) on the node's loop. */
    @Bean
    @ConditionalOnMissingBean
    RaftNode raftNode(RaftxNodeSettings settings, RaftStorage storage, SnapshotStore snapshots, Transport transport,
                      KvStateMachine stateMachine, ObjectProvider<RaftxNodeConfigCustomizer> customizers,
                      ObjectProvider<LoopExtension> extensions) {
        NodeConfig config = settings.nodeConfig();
        for (RaftxNodeConfigCustomizer customizer : customizers.orderedStream().toList()) {
            config = customizer.customize(config);
        }
        RaftNode node = new RaftNode(config, storage, snapshots, transport, stateMachine);
        extensions.orderedStream().forEach(node::addExtension);
        return node;
    }

    @Bean
    RaftxNodeLifecycle raftxNodeLifecycle(RaftNode node, RaftxNodeSettings settings, RaftxProperties properties) {
        return new RaftxNodeLifecycle(node, settings, properties.getShutdown().getLeadershipTransferTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    KvClient raftxKvClient(RaftNode node, KvStateMachine stateMachine, RaftxNodeSettings settings) {
        return new KvClient(node, stateMachine, settings.kvLimits());
    }

    @Bean
    @ConditionalOnMissingBean
    RaftxClusterOperations raftxClusterOperations(RaftNode node, RaftxNodeSettings settings, SnapshotStore snapshots,
                                                  ApplicationExecutor executor) {
        return new DefaultRaftxClusterOperations(node, settings.members(), executor.orCommonPool(),
                new OnlineBackup(node, snapshots, settings.transportConfig().clusterId()));
    }

    @Bean
    @ConditionalOnMissingBean
    StringRaftxTemplate raftxTemplate(KvClient kv, RaftxClusterOperations cluster,
                                      ObjectProvider<VolatileClient> volatiles,
                                      ObjectProvider<RaftxRequestObserver> observers,
                                      ObjectProvider<RaftxCoordination> coordination,
                                      ApplicationExecutor executor,
                                      ObjectProvider<ObservationRegistry> observations) {
        List<RaftxRequestObserver> all = observers.orderedStream().toList();
        RaftxRequestObserver observer = switch (all.size()) {
            case 0 -> RaftxRequestObserver.NONE;
            case 1 -> all.get(0);
            default -> request -> all.forEach(o -> o.requestCompleted(request));
        };
        return new StringRaftxTemplate(kv, cluster, volatiles.getIfUnique(), observer, executor.orCommonPool(),
                coordination.getIfUnique(), observations.getIfUnique(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterWatchRegistry raftxClusterWatchRegistry(KvStateMachine stateMachine,
                                                   ObjectProvider<VolatileClient> volatiles) {
        VolatileClient volatileClient = volatiles.getIfUnique();
        return new ClusterWatchRegistry(WatchSource.of(stateMachine.watches()),
                volatileClient == null ? null : WatchSource.of(volatileClient.watches()));
    }

    @Bean
    @ConditionalOnMissingBean
    static ClusterWatchAnnotationBeanPostProcessor raftxClusterWatchAnnotationBeanPostProcessor() {
        return new ClusterWatchAnnotationBeanPostProcessor();
    }
}
