package io.raftx.spring.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the watches of every {@link ClusterWatch} method. It starts just before the Raft node, so the methods see
 * every change the node applies from its first one on, and stops just after it. A method registered later (a bean
 * created after the node started, e.g. when cluster configuration starts the node early) is first replayed the
 * retained changes since the registry started.
 */
public class ClusterWatchRegistry implements SmartLifecycle {

    /** Just before the node's phase; both well before the web server's, so requests find a running node. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4097;

    private final WatchSource persistentKeys;
    private final WatchSource volatileKeys;
    private final Map<ClusterWatchSubscription, WatchSource> subscriptions = new ConcurrentHashMap<>();
    private final List<ClusterWatchSubscription> inOrder = new CopyOnWriteArrayList<>();
    private final Map<WatchSource, Long> startedAfter = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** @param volatileKeys the volatile keyspace's watches, or null when it is not available */
    public ClusterWatchRegistry(WatchSource persistentKeys, WatchSource volatileKeys) {
        this.persistentKeys = persistentKeys;
        this.volatileKeys = volatileKeys;
    }

    /** Adds a watch; starts it at once if the registry is running (beans created late). */
    synchronized void register(ClusterWatchSubscription subscription, boolean volatileKeyspace) {
        WatchSource source = volatileKeyspace ? volatileKeys : persistentKeys;
        if (source == null) {
            throw new IllegalStateException(subscription + " watches volatile keys, but this application has no"
                    + " volatile keyspace (no VolatileClient bean)");
        }
        subscriptions.put(subscription, source);
        inOrder.add(subscription);
        if (running) {
            subscription.startLate(source, startedAfter.get(source) + 1);
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        for (WatchSource source : new WatchSource[] {persistentKeys, volatileKeys}) {
            if (source != null) {
                startedAfter.put(source, source.lastRevision());
            }
        }
        inOrder.forEach(s -> s.start(subscriptions.get(s)));
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        inOrder.forEach(ClusterWatchSubscription::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Counters of every registered method. */
    public List<ClusterWatchStats> stats() {
        List<ClusterWatchStats> all = new ArrayList<>();
        inOrder.forEach(s -> all.add(s.stats()));
        return all;
    }
}
