package io.raftx.kv.watch;

/** A registered watch. Cancel it when done; an overflow cancels it too (see {@link WatchListener#onOverflow}). */
public interface Watch {

    String pattern();

    /** Stops delivery: events still queued are dropped. Idempotent. */
    void cancel();

    /** True after {@link #cancel()} or an overflow. */
    boolean isCancelled();

    /** Revision of the last event handed to the listener (0 before the first). */
    long lastDeliveredRevision();

    /**
     * Every event of this watch up to this revision has been handed to the listener, including revisions without
     * matching events: a progress notification at this revision cannot overtake an event (etcd's progress_notify).
     */
    long deliveredThrough();

    /** Events the listener returned from normally. */
    long deliveredCount();

    /** Events whose listener call threw. */
    long failedCount();
}
