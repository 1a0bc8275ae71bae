package io.raftx.sample;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.spring.watch.ClusterWatch;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Keeps the last {@value #CAPACITY} changes this node applied, persistent and volatile, as seen by its
 * {@code @ClusterWatch("**")} methods.
 */
@Component
class RecentEvents {

    static final int CAPACITY = 100;

    private final ArrayDeque<Event> events = new ArrayDeque<>();

    @ClusterWatch("**")
    void onChange(WatchEvent event) {
        record(event);
    }

    /** Volatile keys have revisions of their own (volatile op indexes); {@code volatileKey} tells them apart. */
    @ClusterWatch(value = "**", volatileKeys = true)
    void onVolatileChange(WatchEvent event) {
        record(event);
    }

    private void record(WatchEvent event) {
        Event e = new Event(event.revision(), event.type().name(), event.keyAsString(), event.valueAsString(),
                event.previousValueAsString(), event.volatileKey(), Instant.now());
        synchronized (events) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(e);
        }
    }

    /** Oldest first. */
    List<Event> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    record Event(long revision, String type, String key, String value, String previousValue, boolean volatileKey,
                 Instant receivedAt) {
    }
}
