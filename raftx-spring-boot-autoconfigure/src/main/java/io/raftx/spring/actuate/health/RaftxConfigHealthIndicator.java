package io.raftx.spring.actuate.health;

import io.raftx.spring.config.ClusterConfiguration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The cluster configuration: always UP (a value that does not bind must not take instances out of service), with
 * the prefix, the number of properties, the revision of the last change, and under {@code rejected} every
 * {@code @ConfigurationProperties} bean that keeps its previous values, with the binding error.
 */
public class RaftxConfigHealthIndicator extends AbstractHealthIndicator {

    private final ClusterConfiguration configuration;

    public RaftxConfigHealthIndicator(ClusterConfiguration configuration) {
        super("RaftX configuration health check failed");
        this.configuration = configuration;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetail("prefix", configuration.prefix())
                .withDetail("properties", configuration.size())
                .withDetail("revision", configuration.revision())
                .withDetail("rejected", configuration.rebinder().rejections());
    }
}
