package io.raftx.etcd.spring;

import io.raftx.etcd.DirectorySize;
import io.raftx.etcd.EtcdApiServer;
import io.raftx.etcd.EtcdNode;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxNodeSettings;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Serves the etcd v3 API of the application's RaftX node on {@code raftx.etcd.address} when raftx-etcd-api is on
 * the classpath and the address is set, so etcdctl and etcd clients work against the application cluster.
 */
@AutoConfiguration(after = RaftxAutoConfiguration.class)
@ConditionalOnClass({EtcdApiServer.class, RaftNode.class})
@ConditionalOnProperty(name = "raftx.etcd.address")
@ConditionalOnBean({RaftNode.class, KvClient.class, KvStateMachine.class, VolatileClient.class})
@EnableConfigurationProperties(RaftxEtcdProperties.class)
public final class RaftxEtcdApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EtcdApiServer raftxEtcdApiServer(RaftxEtcdProperties properties, RaftNode node, KvClient kv,
                                     KvStateMachine stateMachine, VolatileClient volatiles,
                                     RaftxNodeSettings settings) {
        return new EtcdApiServer(properties.toSettings(), new EtcdNode(node, kv, stateMachine, volatiles,
                settings.members(), new DirectorySize(settings.dataDir())), List.of());
    }

    @Bean
    EtcdApiLifecycle raftxEtcdApiLifecycle(EtcdApiServer server) {
        return new EtcdApiLifecycle(server);
    }
}
