package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The call and return events of one key's operations, in time order. */
final class Events {

    /** @param op index of the operation in the list the events were made from */
    record Event(long time, boolean isReturn, int op) {
    }

    private Events() {
    }

    /**
     * Sorted by time; on a tie calls come before returns, because intervals are closed: an operation that
     * returns at t and one invoked at t overlap, so neither may be forced before the other. Operations with
     * an unknown outcome get no return event (they never return).
     */
    static List<Event> sorted(List<Operation> ops) {
        List<Event> events = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            events.add(new Event(op.call(), false, i));
            if (!op.isUnknown()) {
                events.add(new Event(op.returnTime(), true, i));
            }
        }
        events.sort(Comparator.comparingLong(Event::time)
                .thenComparing(Event::isReturn)
                .thenComparingInt(Event::op));
        return events;
    }
}
