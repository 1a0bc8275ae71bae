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

    /** Events the listener returned from normally. */
    long deliveredCount();

    /** Events whose listener call threw. */
    long failedCount();
}
