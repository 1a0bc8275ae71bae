package io.raftx.spring.autoconfigure.health;

import io.raftx.node.RaftNode;
import io.raftx.spring.actuate.health.RaftxHealthIndicator;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code raftx} health contributor, when Spring Boot's health support is present. Disable it with
 * {@code management.health.raftx.enabled=false}.
 */
@AutoConfiguration(after = {RaftxAutoConfiguration.class, HealthContributorAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean({RaftNode.class, RaftxProperties.class})
@ConditionalOnEnabledHealthIndicator("raftx")
public final class RaftxHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "raftxHealthIndicator")
    RaftxHealthIndicator raftxHealthIndicator(RaftNode node, RaftxProperties properties) {
        return new RaftxHealthIndicator(node, properties.getManagement().getHealth().getMaxApplyLag());
    }
}
