package io.raftx.spring.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code raftx.config.*}: cluster keys as Spring configuration. */
@ConfigurationProperties("raftx.config")
public class RaftxConfigProperties {

    /**
     * Cluster keys starting with this prefix become properties without it: with {@code app.}, key
     * {@code app.ai.model.threshold} is property {@code ai.model.threshold}. Unset: no cluster property source.
     */
    private String prefix;

    /** How long start-up waits for a linearizable read of the prefix (a majority of members must be up). */
    private Duration startupTimeout = Duration.ofSeconds(30);

    /**
     * Whether start-up fails when that read does not succeed in time. If false, the node's local (possibly stale)
     * copy of the keys is used, with a WARN, and the linearizable values arrive as changes later.
     */
    private boolean failFast = false;

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public boolean isFailFast() {
        return failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }
}
