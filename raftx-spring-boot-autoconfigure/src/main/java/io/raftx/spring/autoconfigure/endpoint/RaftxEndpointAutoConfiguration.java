package io.raftx.spring.autoconfigure.endpoint;

import io.raftx.spring.actuate.endpoint.RaftxEndpoint;
import io.raftx.spring.actuate.endpoint.WritableRaftxEndpoint;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.core.RaftxClusterOperations;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code raftx} Actuator endpoint, when it is exposed ({@code management.endpoints.web.exposure.include}). Its
 * write operation exists only with {@code raftx.management.write-enabled=true}.
 */
@AutoConfiguration(after = RaftxAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(RaftxClusterOperations.class)
@ConditionalOnAvailableEndpoint(RaftxEndpoint.class)
public final class RaftxEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "raftx.management.write-enabled")
    WritableRaftxEndpoint writableRaftxEndpoint(RaftxClusterOperations cluster) {
        return new WritableRaftxEndpoint(cluster);
    }

    @Bean
    @ConditionalOnMissingBean
    RaftxEndpoint raftxEndpoint(RaftxClusterOperations cluster) {
        return new RaftxEndpoint(cluster);
    }
}
