package io.raftx.spring.config;

import java.util.Set;
import org.springframework.context.ApplicationEvent;

/**
 * Published on every instance after cluster keys under {@code raftx.config.prefix} changed and the affected
 * {@code @ConfigurationProperties} beans were rebound. {@link #keys()} are property names (without the prefix);
 * {@link #rejectedBeans()} names the beans that kept their previous values because the new ones did not bind.
 */
public class RaftxConfigChangedEvent extends ApplicationEvent {

    private final Set<String> keys;
    private final long revision;
    private final Set<String> rejectedBeans;

    public RaftxConfigChangedEvent(Object source, Set<String> keys, long revision, Set<String> rejectedBeans) {
        super(source);
        this.keys = Set.copyOf(keys);
        this.revision = revision;
        this.rejectedBeans = Set.copyOf(rejectedBeans);
    }

    public Set<String> keys() {
        return keys;
    }

    /** The KV revision of the change. */
    public long revision() {
        return revision;
    }

    public Set<String> rejectedBeans() {
        return rejectedBeans;
    }

    @Override
    public String toString() {
        return "RaftxConfigChangedEvent" + keys + "@" + revision;
    }
}
