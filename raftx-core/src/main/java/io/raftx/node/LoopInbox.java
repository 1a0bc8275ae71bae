package io.raftx.node;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The event loop's queue of work: any thread adds a task, the loop thread takes everything queued in one go. Once
 * closed, adding throws {@link ShutdownException}, naming the failure that stopped the loop if there was one.
 */
final class LoopInbox {

    private static final int MAX_BATCH = 8192;

    private final String nodeId;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private volatile boolean open;
    private volatile Throwable failure;

    LoopInbox(String nodeId) {
        this.nodeId = nodeId;
    }

    void open() {
        open = true;
    }

    boolean isOpen() {
        return open;
    }

    /** No more tasks; {@code cause} is why the loop stopped on its own, null for a requested stop. */
    void close(Throwable cause) {
        if (cause != null) {
            failure = cause;
        }
        open = false;
    }

    /** Why the loop stopped on its own; null while it runs or after a requested stop. */
    Throwable failure() {
        return failure;
    }

    void add(Runnable task) {
        if (!open) {
            throw new ShutdownException("node " + nodeId + " is not running"
                    + (failure == null ? "" : ": its event loop stopped after " + failure));
        }
        queue.add(task);
    }

    /** For transport callbacks: after shutdown the task is simply dropped, as Raft tolerates lost messages. */
    void addQuietly(Runnable task) {
        try {
            add(task);
        } catch (ShutdownException ignored) {
            // stopping: the work no longer matters
        }
    }

    /** Loop thread: waits up to 100 ms for work, then moves everything queued into {@code batch}. */
    boolean takeInto(List<Runnable> batch) throws InterruptedException {
        Runnable first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH);
        return true;
    }

    /** After the loop stopped: runs what is still queued; the callers' failures come from the node's cleanup. */
    void runRemaining() {
        Runnable task;
        while ((task = queue.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException ignored) {
                // Draining after stop: tasks may touch a stopped core; their callers get failures afterwards.
            }
        }
    }
}
