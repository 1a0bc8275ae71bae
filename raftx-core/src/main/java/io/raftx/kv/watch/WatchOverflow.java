package io.raftx.kv.watch;

/**
 * Why a watch was cancelled: its listener fell behind by more than {@code queueCapacity} events.
 *
 * @param lastDeliveredRevision every matching event with a revision up to and including this one was delivered
 */
public record WatchOverflow(String pattern, long lastDeliveredRevision, int queueCapacity) {

    /** The revision to pass to {@code watch(pattern, fromRevision, listener)} to resume without a gap. */
    public long resumeFromRevision() {
        return lastDeliveredRevision + 1;
    }
}
