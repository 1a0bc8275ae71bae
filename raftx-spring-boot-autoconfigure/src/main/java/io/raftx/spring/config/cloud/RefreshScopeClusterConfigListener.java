package io.raftx.spring.config.cloud;

import io.raftx.spring.config.RaftxConfigChangedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Gives a cluster configuration change the ending of a Spring Cloud refresh: an {@link EnvironmentChangeEvent} naming
 * the changed properties, then {@link RefreshScope#refreshAll()}, so {@code @RefreshScope} beans are created afresh
 * from the updated Environment at their next use.
 *
 * <p>A change that some {@code @ConfigurationProperties} bean rejected
 * ({@link RaftxConfigChangedEvent#rejectedBeans()}) refreshes nothing: the value does not convert, and refresh-scoped
 * beans built from it would fail at their next use instead of keeping their last good values. The next valid value
 * refreshes them.
 */
public class RefreshScopeClusterConfigListener implements ApplicationListener<RaftxConfigChangedEvent> {

    private static final Logger log = LoggerFactory.getLogger(RefreshScopeClusterConfigListener.class);

    private final RefreshScope refreshScope;
    private final ApplicationEventPublisher publisher;

    public RefreshScopeClusterConfigListener(RefreshScope refreshScope, ApplicationEventPublisher publisher) {
        this.refreshScope = refreshScope;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(RaftxConfigChangedEvent event) {
        if (!event.rejectedBeans().isEmpty()) {
            log.info("@RefreshScope beans not refreshed for {}: {} rejected the new values", event.keys(),
                    event.rejectedBeans());
            return;
        }
        try {
            // The source is the cluster configuration, not the application context: Spring Cloud's
            // ConfigurationPropertiesRebinder rebinds every bean (reset to defaults, then bound) only for events from
            // the context, and RaftX has already rebound the affected beans, keeping the last good binding. Other
            // listeners (Spring Cloud's LoggingRebinder for logging.level.*, the application's own) see the keys.
            publisher.publishEvent(new EnvironmentChangeEvent(event.getSource(), event.keys()));
        } catch (RuntimeException e) {
            log.warn("A listener of the EnvironmentChangeEvent for {} failed: {}", event.keys(), e.toString());
        }
        refreshScope.refreshAll();
    }
}
