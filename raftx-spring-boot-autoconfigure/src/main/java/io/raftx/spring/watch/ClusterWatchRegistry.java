package io.raftx.spring.watch;

import io.raftx.kv.KvClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the watches of every {@link ClusterWatch} method. It starts just before the Raft node, so the methods see
 * every change the node applies from its first one on, and stops just after it.
 */
public class ClusterWatchRegistry implements SmartLifecycle {

    /** Just before the node's phase; both well before the web server's, so requests find a running node. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4097;

    private static final Logger log = LoggerFactory.getLogger(ClusterWatchRegistry.class);

    private final KvClient kv;
    private final List<ClusterWatchSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<String> volatileListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    public ClusterWatchRegistry(KvClient kv) {
        this.kv = kv;
    }

    /** Adds a persistent-key watch; starts it at once if the registry is running (beans created late). */
    synchronized void register(ClusterWatchSubscription subscription) {
        subscriptions.add(subscription);
        if (running) {
            subscription.start(kv);
        }
    }

    /** Volatile keys are not available yet; the method is remembered so that start-up can say so. */
    synchronized void registerVolatile(String description) {
        volatileListeners.add(description);
    }

    @Override
    public synchronized void start() {
        subscriptions.forEach(s -> s.start(kv));
        if (!volatileListeners.isEmpty()) {
            log.warn("Volatile keys are not available in this version of RaftX; these methods receive no events"
                    + " until they are: {}", volatileListeners);
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        subscriptions.forEach(ClusterWatchSubscription::stop);
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
        subscriptions.forEach(s -> all.add(s.stats()));
        return all;
    }
}
