package io.raftx.spring.autoconfigure.coordination;

import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxNodeSettings;
import io.raftx.spring.shedlock.RaftxLockProvider;
import io.raftx.volatilenode.VolatileClient;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With ShedLock on the classpath: a {@link RaftxLockProvider} as the application's {@link LockProvider}. */
@AutoConfiguration(after = RaftxAutoConfiguration.class)
@ConditionalOnClass(LockProvider.class)
public final class RaftxShedLockAutoConfiguration {

    @Bean
    @ConditionalOnBean({VolatileClient.class, RaftxNodeSettings.class})
    @ConditionalOnMissingBean(LockProvider.class)
    RaftxLockProvider raftxShedLockProvider(VolatileClient client, RaftxNodeSettings settings) {
        return new RaftxLockProvider(client, settings.nodeId());
    }
}
