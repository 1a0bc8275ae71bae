package io.raftx.spring.autoconfigure.coordination;

import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxNodeSettings;
import io.raftx.spring.core.DefaultRaftxElectionOperations;
import io.raftx.spring.core.DefaultRaftxLockOperations;
import io.raftx.spring.core.RaftxCoordination;
import io.raftx.spring.event.RaftxEventPublisher;
import io.raftx.spring.event.RaftxStatusEvents;
import io.raftx.volatilenode.VolatileClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Locks and elections for the template ({@code opsForLocks()}, {@code opsForElection()}), and the RaftX
 * {@code ApplicationEvent}s: role and leader changes pushed from the node's event loop, locks lost, elections
 * granted and revoked, all published in order by one {@link RaftxEventPublisher}.
 */
@AutoConfiguration(after = RaftxAutoConfiguration.class)
@ConditionalOnBean(RaftxNodeSettings.class)
@EnableConfigurationProperties(RaftxCoordinationProperties.class)
public final class RaftxCoordinationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RaftxEventPublisher raftxEventPublisher(ApplicationEventPublisher publisher, RaftxNodeSettings settings) {
        return new RaftxEventPublisher(publisher, settings.nodeId());
    }

    /** A loop extension: the node bean registers it before it starts. */
    @Bean
    @ConditionalOnMissingBean
    RaftxStatusEvents raftxStatusEvents(RaftxEventPublisher events) {
        return new RaftxStatusEvents(events);
    }

    @Bean
    @ConditionalOnBean(VolatileClient.class)
    @ConditionalOnMissingBean
    DefaultRaftxLockOperations raftxLockOperations(VolatileClient client, RaftxNodeSettings settings,
                                                   RaftxEventPublisher events) {
        return new DefaultRaftxLockOperations(client, settings.nodeId(), events::publish);
    }

    @Bean
    @ConditionalOnBean(VolatileClient.class)
    @ConditionalOnMissingBean
    DefaultRaftxElectionOperations raftxElectionOperations(VolatileClient client, RaftxNodeSettings settings,
                                                           RaftxCoordinationProperties properties,
                                                           RaftxEventPublisher events) {
        return new DefaultRaftxElectionOperations(client, settings.nodeId(), properties.getLease(), events::publish);
    }

    @Bean
    @ConditionalOnBean({DefaultRaftxLockOperations.class, DefaultRaftxElectionOperations.class})
    @ConditionalOnMissingBean
    RaftxCoordination raftxCoordination(DefaultRaftxLockOperations locks, DefaultRaftxElectionOperations elections) {
        return new RaftxCoordination(locks, elections);
    }

    @Bean
    @ConditionalOnBean({DefaultRaftxLockOperations.class, DefaultRaftxElectionOperations.class})
    RaftxCoordinationLifecycle raftxCoordinationLifecycle(DefaultRaftxLockOperations locks,
                                                          DefaultRaftxElectionOperations elections) {
        return new RaftxCoordinationLifecycle(locks, elections);
    }
}
