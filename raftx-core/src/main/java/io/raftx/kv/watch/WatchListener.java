package io.raftx.kv.watch;

/**
 * Receives a watch's events, one at a time and in revision order, on the hub's delivery executor (never on the
 * apply thread). An exception thrown here is logged and counted; it affects neither apply nor other watchers.
 */
@FunctionalInterface
public interface WatchListener {

    void onEvent(WatchEvent event);

    /**
     * The watch fell more than its queue capacity behind and was cancelled. Called once, after every event up to
     * {@link WatchOverflow#lastDeliveredRevision()} has been delivered. Re-create the watch with
     * {@code watch(pattern, overflow.resumeFromRevision(), listener)} to continue without a gap.
     */
    default void onOverflow(WatchOverflow overflow) {
    }
}
