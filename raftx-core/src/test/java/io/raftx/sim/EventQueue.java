package io.raftx.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The virtual clock and everything scheduled on it. Events at the same instant run in the order they were
 * scheduled, so a run depends only on the seed.
 */
final class EventQueue {

    /** Runs an event; returns false if it turned out to be a no-op (e.g. a message for a crashed node). */
    @FunctionalInterface
    interface Action {
        boolean run();
    }

    record Event(long time, long seq, Action action) {
    }

    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
    private long now;
    private long seq;

    long now() {
        return now;
    }

    void at(long time, Action action) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + time + " < " + now);
        }
        queue.add(new Event(time, seq++, action));
    }

    void after(long delay, Action action) {
        at(now + delay, action);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Time of the next event; Long.MAX_VALUE if none. */
    long peekTime() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.time();
    }

    /** Removes the next event and moves the clock to its time. */
    Event next() {
        Event e = queue.poll();
        now = e.time();
        return e;
    }
}
