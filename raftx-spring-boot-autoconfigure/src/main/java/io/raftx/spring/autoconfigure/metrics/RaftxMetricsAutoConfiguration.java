package io.raftx.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import io.raftx.spring.actuate.metrics.MicrometerRaftxRequestObserver;
import io.raftx.spring.actuate.metrics.RaftxMetrics;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.coordination.RaftxCoordinationAutoConfiguration;
import io.raftx.spring.event.RaftxStatusEvents;
import io.raftx.spring.watch.ClusterWatchRegistry;
import io.raftx.transport.GrpcTransport;
import io.raftx.volatilenode.VolatileClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * RaftX meters (see {@link RaftxMetrics}) and request timers, when Micrometer and a {@link MeterRegistry} are
 * present; with {@code micrometer-registry-prometheus} they appear on {@code /actuator/prometheus}.
 */
@AutoConfiguration(after = {RaftxAutoConfiguration.class, RaftxCoordinationAutoConfiguration.class,
        MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class})
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class, MetricsAutoConfiguration.class})
@ConditionalOnBean({MeterRegistry.class, RaftNode.class, KvStateMachine.class, RaftxStatusEvents.class})
public final class RaftxMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RaftxMetrics raftxMetrics(RaftNode node, RaftxStatusEvents leadership, KvStateMachine stateMachine,
                              ObjectProvider<ClusterWatchRegistry> watchRegistry,
                              ObjectProvider<GrpcTransport> transport, ObjectProvider<VolatileClient> volatiles) {
        return new RaftxMetrics(node, leadership, stateMachine.watches(), watchRegistry.getIfUnique(),
                transport.getIfUnique(), volatiles.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    MicrometerRaftxRequestObserver raftxRequestObserver(MeterRegistry registry, RaftNode node) {
        return new MicrometerRaftxRequestObserver(registry, node.id());
    }
}
