package io.raftx.spring.autoconfigure.config;

import io.raftx.spring.config.ClusterConfiguration;
import io.raftx.spring.config.cloud.RefreshScopeClusterConfigListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Cloud Context on the classpath (and its refresh scope enabled), cluster configuration changes also
 * refresh {@code @RefreshScope} beans and publish Spring Cloud's {@code EnvironmentChangeEvent}.
 */
@AutoConfiguration(after = RaftxClusterConfigAutoConfiguration.class,
        afterName = "org.springframework.cloud.autoconfigure.RefreshAutoConfiguration")
@ConditionalOnClass(RefreshScope.class)
@ConditionalOnBean({ClusterConfiguration.class, RefreshScope.class})
public final class RaftxRefreshScopeAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RefreshScopeClusterConfigListener raftxRefreshScopeClusterConfigListener(RefreshScope refreshScope,
                                                                           ApplicationEventPublisher publisher) {
        return new RefreshScopeClusterConfigListener(refreshScope, publisher);
    }
}
