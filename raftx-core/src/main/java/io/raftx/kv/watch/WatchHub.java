package io.raftx.kv.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where watches are registered and where a state machine publishes the events of each applied revision.
 *
 * <p>{@link #publish} runs on the apply thread and only does bounded work per watcher (match, enqueue); listeners
 * run on the delivery executor. A watcher whose queue overflows is dropped and told so, and apply never waits.
 * The last {@code historySize} events are retained so a watch can resume from a recent revision.
 */
public final class WatchHub implements AutoCloseable {

    private final WatchOptions options;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder overflows = new LongAdder();

    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Watcher> watchers = new ArrayList<>();
    private final WatchHistory history;
    private long lastRevision;

    public WatchHub() {
        this(WatchOptions.defaults());
    }

    public WatchHub(WatchOptions options) {
        this.options = options;
        this.history = new WatchHistory(options.historySize());
        if (options.deliveryExecutor() != null) {
            this.executor = options.deliveryExecutor();
            this.ownedExecutor = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.ownedExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "raftx-watch-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownedExecutor;
        }
    }

    /** Watches keys matching {@code pattern} from the next revision on. */
    public Watch watch(String pattern, WatchListener listener) {
        return register(WatchPattern.compile(pattern), 0, listener);
    }

    /**
     * Watches keys matching {@code pattern}, starting with the events of {@code fromRevision} (inclusive): past
     * revisions are replayed from the retained history, future ones are waited for.
     *
     * @throws CompactedException       if {@code fromRevision} is older than the retained history
     * @throws IllegalArgumentException if the pattern is invalid or {@code fromRevision < 1}
     */
    public Watch watch(String pattern, long fromRevision, WatchListener listener) {
        if (fromRevision < 1) {
            throw new IllegalArgumentException("fromRevision must be >= 1, got " + fromRevision
                    + "; use watch(pattern, listener) to watch from now");
        }
        return register(WatchPattern.compile(pattern), fromRevision, listener);
    }

    private Watch register(WatchPattern pattern, long fromRevision, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            List<WatchEvent> replay = List.of();
            if (fromRevision > 0 && fromRevision <= lastRevision) {
                if (fromRevision <= history.compactedThrough()) {
                    throw new CompactedException(fromRevision, history.oldestRetainedRevision());
                }
                replay = history.since(fromRevision, pattern);
            }
            long acceptedThrough = Math.max(lastRevision, fromRevision - 1);
            Watcher w = new Watcher(this, pattern, listener, executor, options.queueCapacity(),
                    fromRevision, acceptedThrough, replay);
            watchers.add(w);
            return w;
        }
    }

    /**
     * Publishes the events of one applied revision, in the order they happened. For state machines; call on the
     * apply thread after the revision is applied, with strictly increasing revisions.
     */
    public void publish(long revision, List<WatchEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (revision <= lastRevision) {
                throw new IllegalStateException("revision " + revision + " published after " + lastRevision);
            }
            lastRevision = revision;
            history.append(events);
            watchers.removeIf(w -> !w.offer(revision, events));
        }
    }

    /**
     * A snapshot replaced the state at {@code revision}: nothing is replayed, the retained history is dropped (resuming
     * from before the snapshot fails with {@link CompactedException}) and live watches continue with later revisions.
     */
    public void reset(long revision) {
        synchronized (lock) {
            lastRevision = revision;
            history.reset(revision);
        }
    }

    /**
     * Drops the retained events up to {@code revision} (etcd's Compact): a watch asking to start at or below it
     * fails with {@link CompactedException}. Live watches are not affected.
     */
    public void compact(long revision) {
        synchronized (lock) {
            history.compact(Math.min(revision, lastRevision));
        }
    }

    void remove(Watcher w) {
        synchronized (lock) {
            watchers.remove(w);
        }
    }

    void countDelivered() {
        delivered.increment();
    }

    void countOverflow() {
        overflows.increment();
    }

    void countFailed() {
        failed.increment();
    }

    /** Events listeners returned from normally, over all watches. */
    public long deliveredCount() {
        return delivered.sum();
    }

    /** Listener calls that threw, over all watches. */
    public long failedCount() {
        return failed.sum();
    }

    /** Watches cancelled because their listener fell too far behind. */
    public long overflowCount() {
        return overflows.sum();
    }

    public int watchCount() {
        synchronized (lock) {
            return watchers.size();
        }
    }

    /** The oldest revision a watch can resume from. */
    public long oldestRetainedRevision() {
        synchronized (lock) {
            return history.oldestRetainedRevision();
        }
    }

    /** The last revision published (or restored). */
    public long lastRevision() {
        synchronized (lock) {
            return lastRevision;
        }
    }

    /** Cancels every watch and stops the hub's own delivery threads (a given executor is left running). */
    @Override
    public void close() {
        List<Watcher> all;
        synchronized (lock) {
            all = new ArrayList<>(watchers);
        }
        all.forEach(Watcher::cancel);
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }
}
