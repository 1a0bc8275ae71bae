package io.raftx.volatilenode;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchHub;
import io.raftx.volatiles.VolatileEvent;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the volatile core's events to the node's volatile {@link WatchHub}, as {@link WatchEvent}s with
 * {@code volatileKey = true}.
 *
 * <h2>Revisions</h2>
 * Volatile events live in their own hub whose revision is the <b>global volatile op index</b>: the same number on
 * every node for the same change, so a watcher can resume from an index on any node (within the hub's retained
 * history). They cannot share the KV hub's revisions: KV revisions count Raft-applied writes, volatile indexes count
 * volatile ops, and neither orders the other. Events of a snapshot install (cause RESYNC, when a lagging or restarted
 * node jumps to the leader's state) carry the snapshot's index, so watchers on that node see the jump. If a node
 * ever rolls back (only after a majority lost its memory at once, outside the guarantees) the hub is reset to just
 * before the rollback's index: resuming from an older index then fails as compacted, and live watches go on.
 *
 * <h2>Values</h2>
 * A plain value is its bytes; a set is rendered as its members in order, joined by '\n' (UTF-8). A set operation
 * is a PUT of the new rendering, or a DELETE when the last member left. Read the set itself for exact members.
 */
final class VolatileWatchPublisher {

    private final WatchHub hub;

    VolatileWatchPublisher(WatchHub hub) {
        this.hub = hub;
    }

    /** Publishes {@code events} (in applied order), one hub revision per op index. */
    void publish(List<VolatileEvent> events) {
        int i = 0;
        while (i < events.size()) {
            long index = events.get(i).index();
            List<WatchEvent> batch = new ArrayList<>();
            while (i < events.size() && events.get(i).index() == index) {
                batch.add(toWatchEvent(events.get(i++)));
            }
            if (index <= hub.lastRevision()) {
                hub.reset(index - 1); // a rollback: see the class comment
            }
            hub.publish(index, batch);
        }
    }

    static WatchEvent toWatchEvent(VolatileEvent e) {
        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
        WatchEvent.Type type = e.value() == null ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
        return new WatchEvent(type, key, render(e.prev()), render(e.value()), e.index(), true);
    }

    /** The bytes a watcher sees for a volatile value (null for absent). */
    static byte[] render(VolatileValue v) {
        if (v == null) {
            return null;
        }
        return v.isSet() ? String.join("\n", v.members()).getBytes(StandardCharsets.UTF_8) : v.bytes();
    }
}
