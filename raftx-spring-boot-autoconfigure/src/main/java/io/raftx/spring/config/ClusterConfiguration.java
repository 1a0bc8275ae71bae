package io.raftx.spring.config;

import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.ScanResult;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchListener;
import io.raftx.node.ReadConsistency;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Cluster keys under {@code raftx.config.prefix} as Spring configuration.
 *
 * <p>{@link #load()} runs once, before the first application {@code @ConfigurationProperties} bean binds (triggered
 * by {@link ClusterConfigStartup}) or at the latest when all singletons exist: it starts the node early, reads every
 * key under the prefix with a linearizable read (waiting up to {@code raftx.config.startup-timeout} for a majority),
 * puts them into a {@link ClusterPropertySource} ahead of every other property source, and watches the prefix from
 * the revision it read, so no change between the read and the watch is lost.
 *
 * <p>Each change then updates the property source, rebinds the {@code @ConfigurationProperties} beans it concerns
 * ({@link ClusterConfigRebinder}) and publishes a {@link RaftxConfigChangedEvent}, on the watch delivery thread.
 * Keys under {@code <prefix>raftx.} are ignored: the node's own settings are bound once, before the node starts.
 */
public class ClusterConfiguration implements WatchListener, SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);
    private static final int MAX_KEYS = 100_000;
    private static final long RETRY_PAUSE_MILLIS = 100;

    private final RaftxConfigProperties properties;
    private final String prefix;
    private final ConfigurableEnvironment environment;
    private final KvClient kv;
    private final Runnable startNode;
    private final ClusterConfigRebinder rebinder;
    private final ApplicationEventPublisher publisher;
    private final ClusterPropertySource source = new ClusterPropertySource();
    private final Set<String> ignoredKeysLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder changes = new LongAdder();

    // Guarded by this.
    private boolean loaded;
    private boolean ready;
    private final Set<String> changedBeforeReady = new LinkedHashSet<>();
    private Watch watch;
    private volatile long revision;

    /** @param startNode starts the watch registry and the node, if not yet running (idempotent) */
    public ClusterConfiguration(RaftxConfigProperties properties, ConfigurableEnvironment environment, KvClient kv,
                                Runnable startNode, ClusterConfigRebinder rebinder,
                                ApplicationEventPublisher publisher) {
        this.properties = properties;
        this.prefix = normalizedPrefix(properties.getPrefix());
        this.environment = environment;
        this.kv = kv;
        this.startNode = startNode;
        this.rebinder = rebinder;
        this.publisher = publisher;
    }

    /** {@code app} and {@code app.} mean the same prefix. */
    public static String normalizedPrefix(String prefix) {
        String trimmed = prefix.trim();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }

    public synchronized void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        environment.getPropertySources().addFirst(source);
        startNode.run();
        ScanResult initial = initialRead();
        initial.keyValues().forEach(this::apply);
        revision = initial.revision();
        watch = kv.watch(prefix + "**", initial.revision() + 1, this);
    }

    private ScanResult initialRead() {
        long deadline = System.nanoTime() + properties.getStartupTimeout().toNanos();
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            long started = System.nanoTime();
            try {
                ScanResult result = kv.scan(prefix, MAX_KEYS + 1, ReadConsistency.LINEARIZABLE)
                        .get(Math.max(1, deadline - started), TimeUnit.NANOSECONDS);
                log.info("Cluster configuration: {} keys under '{}' read at revision {} (linearizable)",
                        checked(result).keyValues().size(), prefix, result.revision());
                return result;
            } catch (ExecutionException e) {
                lastError = NestedExceptionUtils.getMostSpecificCause(e).getMessage();
                pause();
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the cluster configuration", e);
            }
        }
        String problem = "no linearizable read of the cluster keys under '" + prefix + "' within "
                + properties.getStartupTimeout() + " (is a majority of the members up?): " + lastError;
        if (properties.isFailFast()) {
            throw new IllegalStateException(problem + ". Start more members, raise raftx.config.startup-timeout,"
                    + " or set raftx.config.fail-fast=false to start with this node's local copy");
        }
        ScanResult local = checked(kv.scan(prefix, MAX_KEYS + 1, ReadConsistency.LOCAL).join());
        log.warn("Cluster configuration: {}; starting with this node's local copy ({} keys at revision {}), newer"
                + " values arrive as changes", problem, local.keyValues().size(), local.revision());
        return local;
    }

    private ScanResult checked(ScanResult result) {
        if (result.more() || result.keyValues().size() > MAX_KEYS) {
            throw new IllegalStateException("more than " + MAX_KEYS + " cluster keys under '" + prefix + "'; use a"
                    + " narrower raftx.config.prefix");
        }
        return result;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(KeyValue entry) {
        String name = propertyName(entry.keyAsString());
        if (name != null) {
            source.put(name, entry.valueAsString());
        }
    }

    /** The property name of a cluster key, or null for keys that are not configuration. */
    private String propertyName(String key) {
        String name = key.substring(prefix.length());
        if (name.isEmpty() || name.startsWith("raftx.")) {
            if (ignoredKeysLogged.add(key)) {
                log.warn("Cluster key '{}' is ignored as configuration: {}", key, name.isEmpty()
                        ? "it names no property" : "raftx.* settings are bound once, before the node starts");
            }
            return null;
        }
        return name;
    }

    @Override
    public void onEvent(WatchEvent event) {
        String name = propertyName(event.keyAsString());
        if (name == null) {
            return;
        }
        if (event.type() == WatchEvent.Type.DELETE) {
            source.remove(name);
        } else {
            source.put(name, event.valueAsString());
        }
        changes.increment();
        revision = event.revision();
        synchronized (this) {
            if (!ready) {
                changedBeforeReady.add(name); // beans created from now on bind the new value anyway
                return;
            }
        }
        rebindAndPublish(Set.of(name), event.revision());
    }

    /** All singletons exist: rebind those created before changes that arrived meanwhile, then follow changes. */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> pending;
        synchronized (this) {
            if (!loaded) { // no bean triggered the load: rebind whatever bound before it
                load();
                changedBeforeReady.addAll(source.getSource().keySet());
            }
            ready = true;
            pending = Set.copyOf(changedBeforeReady);
            changedBeforeReady.clear();
        }
        if (!pending.isEmpty()) {
            rebindAndPublish(pending, revision);
        }
    }

    private void rebindAndPublish(Set<String> names, long atRevision) {
        Set<String> rejected = rebinder.rebind(names);
        publisher.publishEvent(new RaftxConfigChangedEvent(this, names, atRevision, rejected));
    }

    @Override
    public synchronized void destroy() {
        if (watch != null) {
            watch.cancel();
            watch = null;
        }
    }

    public String prefix() {
        return prefix;
    }

    /** Properties currently in the cluster property source. */
    public int size() {
        return source.getSource().size();
    }

    /** The revision of the last change applied to the property source. */
    public long revision() {
        return revision;
    }

    /** Changes applied since start-up. */
    public long changeCount() {
        return changes.sum();
    }

    public ClusterConfigRebinder rebinder() {
        return rebinder;
    }
}
