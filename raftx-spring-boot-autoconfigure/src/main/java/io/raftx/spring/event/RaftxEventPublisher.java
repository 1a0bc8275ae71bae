package io.raftx.spring.event;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link RaftxEvent}s one at a time, in the order they were handed in, on one thread of its own: callers
 * (the Raft event loop, lock timers) never wait for listeners, and listeners never see two RaftX events at once or
 * out of order.
 */
public class RaftxEventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftxEventPublisher.class);

    private final ApplicationEventPublisher publisher;
    private final ExecutorService thread;

    public RaftxEventPublisher(ApplicationEventPublisher publisher, String nodeId) {
        this.publisher = publisher;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftx-events-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the event behind those handed in before it; never blocks. Dropped once closed. */
    public void publish(RaftxEvent event) {
        try {
            thread.execute(() -> {
                try {
                    publisher.publishEvent(event);
                } catch (RuntimeException e) {
                    log.warn("A listener of {} failed", event, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            log.debug("Not published after close: {}", event);
        }
    }

    /** Publishes what is queued (waiting up to 2 s for listeners), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
