package io.raftx.kv.watch;

import java.util.concurrent.Executor;

/**
 * @param queueCapacity     events a watch may have waiting before it is cancelled with an overflow (default 10,000)
 * @param historySize       events kept in memory for watches that resume from a past revision (default 100,000)
 * @param deliveryExecutor  runs listeners; null means the hub creates (and on close, stops) its own pool of daemon
 *                          threads. A given executor is not shut down by the hub. A direct executor
 *                          ({@code Runnable::run}) runs listeners on the apply thread: for tests only.
 */
public record WatchOptions(int queueCapacity, int historySize, Executor deliveryExecutor) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_HISTORY_SIZE = 100_000;

    public WatchOptions {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("watch queueCapacity must be >= 1, got " + queueCapacity);
        }
        if (historySize < 0) {
            throw new IllegalArgumentException("watch historySize must be >= 0, got " + historySize);
        }
    }

    public static WatchOptions defaults() {
        return new WatchOptions(DEFAULT_QUEUE_CAPACITY, DEFAULT_HISTORY_SIZE, null);
    }

    public WatchOptions withQueueCapacity(int n) {
        return new WatchOptions(n, historySize, deliveryExecutor);
    }

    public WatchOptions withHistorySize(int n) {
        return new WatchOptions(queueCapacity, n, deliveryExecutor);
    }

    public WatchOptions withDeliveryExecutor(Executor executor) {
        return new WatchOptions(queueCapacity, historySize, executor);
    }
}
