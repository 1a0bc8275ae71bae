package io.raftx.spring.watch;

import io.raftx.kv.watch.CompactedException;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchListener;
import io.raftx.kv.watch.WatchOverflow;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ClusterWatch} method's watch: calls the method for each event, contains and counts its failures, and
 * re-creates the watch from where it stopped if the method fell so far behind that the hub cancelled it.
 */
final class ClusterWatchSubscription implements WatchListener {

    private static final Logger log = LoggerFactory.getLogger(ClusterWatchSubscription.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ClusterWatchMethod method;
    private final String pattern;
    private final Supplier<Executor> executor;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);
    private final LongAdder failuresNotLogged = new LongAdder();

    // Guarded by this.
    private WatchSource source;
    private Watch watch;

    /** @param executor runs the method; null runs it on the delivery thread */
    ClusterWatchSubscription(ClusterWatchMethod method, String pattern, Supplier<Executor> executor) {
        this.method = method;
        this.pattern = pattern;
        this.executor = executor;
    }

    synchronized void start(WatchSource watchSource) {
        if (watch == null) {
            source = watchSource;
            watch = watchSource.watch(pattern, this);
        }
    }

    /**
     * Starts a watch registered after the registry started: from {@code fromRevision}, or from the oldest retained
     * revision if history has moved past it (a snapshot installed meanwhile is not replayed, as at start-up).
     */
    synchronized void startLate(WatchSource watchSource, long fromRevision) {
        if (watch != null) {
            return;
        }
        source = watchSource;
        long from = Math.max(fromRevision, watchSource.oldestRetainedRevision());
        try {
            watch = watchSource.watch(pattern, Math.max(1, from), this);
        } catch (CompactedException e) {
            watch = watchSource.watch(pattern, this);
            log.warn("{} was registered after revisions {}..{} left the retained history; it sees changes from now on",
                    this, from, e.oldestRetainedRevision() - 1);
        }
    }

    synchronized void stop() {
        if (watch != null) {
            watch.cancel();
            watch = null;
        }
    }

    @Override
    public void onEvent(WatchEvent event) {
        if (executor == null) {
            deliver(event);
            return;
        }
        try {
            executor.get().execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            failed(event, e);
        }
    }

    private void deliver(WatchEvent event) {
        try {
            method.invoke(event);
            delivered.increment();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) { // whatever the method does, the next event and the other methods go on
            failed(event, e);
        }
    }

    /** Logs at most one failure per interval per method, so a method that always throws cannot flood the log. */
    private void failed(WatchEvent event, Throwable e) {
        failed.increment();
        long now = System.nanoTime();
        long last = lastFailureLogged.get();
        if (now - last < FAILURE_LOG_INTERVAL_NANOS || !lastFailureLogged.compareAndSet(last, now)) {
            failuresNotLogged.increment();
            return;
        }
        long skipped = failuresNotLogged.sumThenReset();
        log.warn("@ClusterWatch method {} failed on {} (counted in raftx.watch.deliveries; delivery goes on){}",
                method.name(), event, skipped > 0 ? "; " + skipped + " earlier failures not logged" : "", e);
    }

    /** The method fell more than the queue capacity behind: resume right after the last delivered revision. */
    @Override
    public synchronized void onOverflow(WatchOverflow overflow) {
        if (watch == null) {
            return; // stopped meanwhile
        }
        resumed.increment();
        try {
            watch = source.watch(pattern, overflow.resumeFromRevision(), this);
            log.warn("@ClusterWatch method {} fell more than {} events behind; resumed from revision {}",
                    method.name(), overflow.queueCapacity(), overflow.resumeFromRevision());
        } catch (CompactedException e) {
            watch = source.watch(pattern, this);
            log.error("@ClusterWatch method {} fell so far behind that revisions {}..{} are no longer retained;"
                    + " it missed those events and continues with new ones (raise raftx.watch.history-size or"
                    + " make the method faster)", method.name(), overflow.resumeFromRevision(),
                    e.oldestRetainedRevision() - 1);
        }
    }

    ClusterWatchStats stats() {
        return new ClusterWatchStats(method.name(), pattern, delivered.sum(), failed.sum(), resumed.sum());
    }

    @Override
    public String toString() {
        return "@ClusterWatch(\"" + pattern + "\") " + method;
    }
}
