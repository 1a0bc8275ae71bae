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
import io.raftx.etcd.EtcdApiSettings;
import io.raftx.etcd.EtcdClientSecurity;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportTlsConfig;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
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
                                     RaftxNodeSettings settings,
                                     ObjectProvider<GrpcTransport> transport) {
        EtcdApiSettings apiSettings = properties.toSettings();
        // The peers' TLS (PEM keys or SSL bundle, as the transport was built with) also secures the client port.
        TransportTlsConfig tls = transport.getIfAvailable() == null ? settings.transportConfig().tls()
                : transport.getIfAvailable().config().tls();
        EtcdClientSecurity security = new EtcdClientSecurity(tls, properties.getAuth().toCredentials());
        List<String> peerAddresses = new ArrayList<>(settings.members().values());
        peerAddresses.add(settings.address());
        peerAddresses.add(settings.transportConfig().bindHost() + ":" + settings.transportConfig().port());
        security.requireAuthenticationUnlessLoopback(apiSettings.address(), peerAddresses,
                "set raftx.etcd.auth.username and raftx.etcd.auth.password, or peer TLS (raftx.transport.ssl.bundle"
                        + " or raftx.transport.tls.*; clients then need a certificate that chains to the same"
                        + " trusted certificates)");
        return new EtcdApiServer(apiSettings, security, new EtcdNode(node, kv, stateMachine, volatiles,
                settings.members(), new DirectorySize(settings.dataDir())), List.of());
    }

    @Bean
    EtcdApiLifecycle raftxEtcdApiLifecycle(EtcdApiServer server) {
        return new EtcdApiLifecycle(server);
    }
}
