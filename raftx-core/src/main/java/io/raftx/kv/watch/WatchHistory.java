package io.raftx.kv.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The last {@code capacity} events, for watches that resume from a past revision. Not thread-safe: the hub guards it.
 *
 * <p>Evicts whole revisions only: a transaction's events share one revision, and a resume from a half-evicted
 * revision would silently miss some of them. So after eviction every revision above {@link #compactedThrough()} is
 * complete.
 */
final class WatchHistory {

    private final int capacity;
    private final ArrayDeque<WatchEvent> events = new ArrayDeque<>();
    private long compactedThrough;

    WatchHistory(int capacity) {
        this.capacity = capacity;
    }

    void append(List<WatchEvent> batch) {
        events.addAll(batch);
        while (events.size() > capacity) {
            long evicted = events.poll().revision();
            while (!events.isEmpty() && events.peek().revision() == evicted) {
                events.poll();
            }
            compactedThrough = Math.max(compactedThrough, evicted);
        }
    }

    /** Forgets everything up to {@code revision} (a snapshot was restored: the events before it are unknown). */
    void reset(long revision) {
        events.clear();
        compactedThrough = revision;
    }

    /** Forgets the events up to {@code revision}, keeping the later ones. */
    void compact(long revision) {
        while (!events.isEmpty() && events.peek().revision() <= revision) {
            events.poll();
        }
        compactedThrough = Math.max(compactedThrough, revision);
    }

    /** Revisions up to this one may be missing. */
    long compactedThrough() {
        return compactedThrough;
    }

    long oldestRetainedRevision() {
        return compactedThrough + 1;
    }

    int size() {
        return events.size();
    }

    /** Retained events with revision >= {@code fromRevision} whose key matches, in revision order. */
    List<WatchEvent> since(long fromRevision, WatchPattern pattern) {
        List<WatchEvent> out = new ArrayList<>();
        var it = events.descendingIterator();
        while (it.hasNext()) {
            WatchEvent e = it.next();
            if (e.revision() < fromRevision) {
                break;
            }
            if (pattern.matches(e.keyUnsafe())) {
                out.add(e);
            }
        }
        Collections.reverse(out);
        return out;
    }
}
