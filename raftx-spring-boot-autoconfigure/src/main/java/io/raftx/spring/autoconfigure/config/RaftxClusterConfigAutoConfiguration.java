package io.raftx.spring.autoconfigure.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftx.kv.KvClient;
import io.raftx.kv.watch.WatchPattern;
import io.raftx.node.RaftNode;
import io.raftx.spring.actuate.health.RaftxConfigHealthIndicator;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxNodeLifecycle;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import io.raftx.spring.config.ClusterConfigRebinder;
import io.raftx.spring.config.ClusterConfigStartup;
import io.raftx.spring.config.ClusterConfiguration;
import io.raftx.spring.config.RaftxConfigProperties;
import io.raftx.spring.watch.ClusterWatchRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Cluster keys under {@code raftx.config.prefix} as an Environment property source, with rebinding of
 * {@code @ConfigurationProperties} beans on change (see {@link ClusterConfiguration}); health and metrics of it when
 * those are present.
 */
@AutoConfiguration(after = RaftxAutoConfiguration.class)
@ConditionalOnBean({RaftNode.class, KvClient.class, RaftxNodeLifecycle.class})
@ConditionalOnProperty("raftx.config.prefix")
@EnableConfigurationProperties(RaftxConfigProperties.class)
public final class RaftxClusterConfigAutoConfiguration {

    @Bean
    static ClusterConfigStartup raftxClusterConfigStartup() {
        return new ClusterConfigStartup();
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterConfiguration raftxClusterConfiguration(RaftxConfigProperties properties,
                                                   ConfigurableEnvironment environment, KvClient kv,
                                                   RaftxNodeLifecycle node,
                                                   ObjectProvider<ClusterWatchRegistry> watchRegistry,
                                                   ApplicationContext context) {
        String prefix = properties.getPrefix();
        try {
            WatchPattern.compile(ClusterConfiguration.normalizedPrefix(prefix) + "**");
        } catch (IllegalArgumentException e) {
            throw new InvalidRaftxPropertyException("raftx.config.prefix", prefix, "it must be one or more"
                    + " dot-separated key segments, such as 'app.' or 'config.service-a.' (" + e.getMessage() + ")");
        }
        Runnable startNode = () -> {
            watchRegistry.ifAvailable(ClusterWatchRegistry::start); // @ClusterWatch methods miss nothing
            node.start();
        };
        return new ClusterConfiguration(properties, environment, kv, startNode,
                new ClusterConfigRebinder(context, environment), context);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("raftx-config")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "raftxConfigHealthIndicator")
        RaftxConfigHealthIndicator raftxConfigHealthIndicator(ClusterConfiguration configuration) {
            return new RaftxConfigHealthIndicator(configuration);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        @Bean
        MeterBinder raftxClusterConfigMeters(ClusterConfiguration configuration) {
            return registry -> {
                Gauge.builder("raftx.config.keys", configuration, ClusterConfiguration::size)
                        .description("Properties in the cluster configuration property source").register(registry);
                Gauge.builder("raftx.config.rejected", configuration, c -> c.rebinder().rejections().size())
                        .description("@ConfigurationProperties beans keeping their previous values because the"
                                + " cluster's new values do not bind").register(registry);
                FunctionCounter.builder("raftx.config.changes", configuration, ClusterConfiguration::changeCount)
                        .description("Changes of cluster configuration keys applied").register(registry);
                FunctionCounter.builder("raftx.config.rebinds", configuration, c -> c.rebinder().rebindCount())
                        .tag("outcome", "success").register(registry);
                FunctionCounter.builder("raftx.config.rebinds", configuration, c -> c.rebinder().failureCount())
                        .tag("outcome", "failure").description("Rebinds of @ConfigurationProperties beans")
                        .register(registry);
            };
        }
    }
}
