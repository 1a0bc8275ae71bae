package io.raftx.sample;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.spring.watch.ClusterWatch;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Keeps the last {@value #CAPACITY} changes this node applied, as seen by a {@code @ClusterWatch("**")} method. */
@Component
class RecentEvents {

    static final int CAPACITY = 100;

    private final ArrayDeque<Event> events = new ArrayDeque<>();

    @ClusterWatch("**")
    void onChange(WatchEvent event) {
        Event e = new Event(event.revision(), event.type().name(), event.keyAsString(), event.valueAsString(),
                event.previousValueAsString(), Instant.now());
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

    record Event(long revision, String type, String key, String value, String previousValue, Instant receivedAt) {
    }
}
