package io.raftx.spring.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The cluster's keys under {@code raftx.config.prefix}, without the prefix, as an Environment property source ahead
 * of every other one. Kept current by {@link ClusterConfiguration}.
 */
public final class ClusterPropertySource extends EnumerablePropertySource<Map<String, String>> {

    public static final String NAME = "raftxClusterConfig";

    ClusterPropertySource() {
        super(NAME, new ConcurrentHashMap<>());
    }

    @Override
    public String[] getPropertyNames() {
        return getSource().keySet().toArray(String[]::new);
    }

    @Override
    public Object getProperty(String name) {
        return getSource().get(name);
    }

    @Override
    public boolean containsProperty(String name) {
        return getSource().containsKey(name);
    }

    void put(String name, String value) {
        getSource().put(name, value);
    }

    void remove(String name) {
        getSource().remove(name);
    }
}
