package io.raftx.kv.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a bounded queue filled on the apply thread and drained on the delivery executor by at most one task at
 * a time, which is what keeps each listener's events in revision order without a thread per watch.
 */
final class Watcher implements Watch {

    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    /** Events delivered per task before handing the thread back, so one busy watch cannot hog a shared pool. */
    private static final int DRAIN_BATCH = 256;

    private final WatchPattern pattern;
    private final WatchListener listener;
    private final Executor executor;
    private final int capacity;
    private final long fromRevision;
    private final WatchHub hub;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long lastDeliveredRevision;

    // Guarded by this.
    private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
    /** Replayed history events still at the head of the queue; they do not count against the capacity. */
    private int replayBacklog;
    private boolean drainScheduled;
    /** An event was polled from the queue and its listener call has not returned yet. */
    private boolean delivering;
    private boolean cancelled;
    private WatchOverflow overflow;
    private boolean overflowNotified;
    /** Every matching event up to this revision is queued or delivered. */
    private long acceptedThrough;

    Watcher(WatchHub hub, WatchPattern pattern, WatchListener listener, Executor executor, int capacity,
            long fromRevision, long acceptedThrough, List<WatchEvent> replay) {
        this.hub = hub;
        this.pattern = pattern;
        this.listener = listener;
        this.executor = executor;
        this.capacity = capacity;
        this.fromRevision = fromRevision;
        this.acceptedThrough = acceptedThrough;
        // The replay is not held against the capacity: the history already bounds it, and counting it would make a
        // resume after an overflow overflow again at the next write.
        synchronized (this) {
            queue.addAll(replay);
            replayBacklog = replay.size();
            scheduleDrain();
        }
    }

    /**
     * Takes one revision's events (called by the hub, on the apply thread). Returns false when this watcher is done
     * and the hub should drop it. Never blocks on the listener.
     */
    synchronized boolean offer(long revision, List<WatchEvent> events) {
        if (cancelled || overflow != null) {
            return false;
        }
        if (revision < fromRevision) {
            return true;
        }
        List<WatchEvent> matching = null;
        for (WatchEvent e : events) {
            if (pattern.matches(e.keyUnsafe())) {
                if (matching == null) {
                    matching = new ArrayList<>(events.size());
                }
                matching.add(e);
            }
        }
        if (matching != null) {
            // Refuse a revision as a whole so the overflow point is a revision boundary and a resume neither loses
            // nor repeats part of a transaction. With no live events queued a revision is always taken, so one huge
            // transaction cannot wedge the watch.
            int live = queue.size() - replayBacklog;
            if (live > 0 && live + matching.size() > capacity) {
                overflow = new WatchOverflow(pattern.toString(), acceptedThrough, capacity);
                hub.countOverflow();
                scheduleDrain();
                return false;
            }
            queue.addAll(matching);
            scheduleDrain();
        }
        acceptedThrough = revision;
        return true;
    }

    private void scheduleDrain() {
        if (drainScheduled || cancelled || (queue.isEmpty() && (overflow == null || overflowNotified))) {
            return;
        }
        drainScheduled = true;
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drainScheduled = false;
            log.warn("watch '{}': delivery executor refused work (shut down?); events stay queued", pattern);
        }
    }

    private void drain() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            WatchEvent next;
            WatchOverflow notify = null;
            synchronized (this) {
                next = cancelled ? null : queue.poll();
                delivering = next != null;
                if (next != null && replayBacklog > 0) {
                    replayBacklog--;
                }
                if (next == null && !cancelled && overflow != null && !overflowNotified) {
                    overflowNotified = true;
                    notify = overflow;
                }
                if (next == null && notify == null) {
                    queue.clear(); // only non-empty when cancelled
                    replayBacklog = 0;
                    drainScheduled = false;
                    return;
                }
            }
            if (next != null) {
                deliver(next);
                synchronized (this) {
                    delivering = false;
                }
            } else {
                notifyOverflow(notify);
            }
        }
        synchronized (this) {
            drainScheduled = false;
            scheduleDrain();
        }
    }

    private void deliver(WatchEvent event) {
        try {
            listener.onEvent(event);
            delivered.incrementAndGet();
            hub.countDelivered();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) { // whatever the listener does, the next event must still be delivered
            failed.incrementAndGet();
            hub.countFailed();
            log.warn("watch '{}': listener failed on {} (counted, delivery continues)", pattern, event, e);
        }
        lastDeliveredRevision = event.revision();
    }

    private void notifyOverflow(WatchOverflow o) {
        log.warn("watch '{}' cancelled: more than {} undelivered events; delivered through revision {}",
                pattern, o.queueCapacity(), o.lastDeliveredRevision());
        try {
            listener.onOverflow(o);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            failed.incrementAndGet();
            hub.countFailed();
            log.warn("watch '{}': overflow callback failed", pattern, e);
        }
    }

    @Override
    public String pattern() {
        return pattern.toString();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            cancelled = true;
            queue.clear();
            replayBacklog = 0;
        }
        hub.remove(this);
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled || overflow != null;
    }

    @Override
    public long lastDeliveredRevision() {
        return lastDeliveredRevision;
    }

    @Override
    public synchronized long deliveredThrough() {
        WatchEvent head = queue.peek();
        if (head == null && !delivering) {
            return acceptedThrough;
        }
        // Some event of revision r (the head, or the one being delivered) is not through yet: r - 1 is.
        long pending = head == null ? lastDeliveredRevision + 1 : head.revision();
        return Math.max(0, Math.min(acceptedThrough, pending - 1));
    }

    @Override
    public long deliveredCount() {
        return delivered.get();
    }

    @Override
    public long failedCount() {
        return failed.get();
    }

    @Override
    public String toString() {
        return "Watch[" + pattern + ", delivered=" + delivered + ", failed=" + failed + "]";
    }
}
