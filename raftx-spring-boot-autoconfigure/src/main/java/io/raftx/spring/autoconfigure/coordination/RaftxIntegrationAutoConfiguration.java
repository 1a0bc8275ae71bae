package io.raftx.spring.autoconfigure.coordination;

import io.raftx.spring.core.RaftxElectionOperations;
import io.raftx.spring.core.RaftxLockOperations;
import io.raftx.spring.integration.RaftxLeaderInitiator;
import io.raftx.spring.integration.RaftxLockRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * With Spring Integration on the classpath: a {@link RaftxLockRegistry} as the application's {@link LockRegistry}
 * (unless it defines its own), and a {@link RaftxLeaderInitiator} for the application's {@link Candidate} bean
 * (switched off by {@code raftx.coordination.leader-initiator=false}).
 */
@AutoConfiguration(after = RaftxCoordinationAutoConfiguration.class)
@ConditionalOnClass(LockRegistry.class)
public final class RaftxIntegrationAutoConfiguration {

    @Bean
    @ConditionalOnBean(RaftxLockOperations.class)
    @ConditionalOnMissingBean(LockRegistry.class)
    RaftxLockRegistry raftxLockRegistry(RaftxLockOperations locks, RaftxCoordinationProperties properties) {
        return new RaftxLockRegistry(locks, properties.getLease());
    }

    @Bean
    @ConditionalOnBean(RaftxElectionOperations.class)
    @ConditionalOnSingleCandidate(Candidate.class)
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "raftx.coordination.leader-initiator", matchIfMissing = true)
    RaftxLeaderInitiator raftxLeaderInitiator(RaftxElectionOperations elections, Candidate candidate,
                                              RaftxCoordinationProperties properties) {
        return new RaftxLeaderInitiator(elections, candidate, properties.getLease());
    }
}
