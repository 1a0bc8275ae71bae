package io.raftx.lincheck;

import java.util.List;

/**
 * Two prunings for appended strings, where Lowe's cache is weak: every order of concurrent appends is a different
 * string, so a different state. Both look at the events still in the list, which are time-sorted, so "a return met
 * before a call" means "must be linearized before that operation could be".
 */
final class AppendRules {

    private AppendRules() {
    }

    /**
     * True if the configuration just reached has no completion because of a read that must come soon.
     *
     * <p>Appends only extend the string. Take a read g still to be linearized whose return comes before the call
     * of every remaining put, delete and cas. Only appends and reads can be linearized before g, so g must see the
     * current string, possibly extended. If it cannot, there is no way on.
     */
    static boolean cannotReachUpcomingRead(EventList events, List<Operation> ops, String current) {
        if (current == null) {
            return false; // absent can still become anything by appends, or stay absent
        }
        for (int node = events.first(); node != EventList.END; node = events.next(node)) {
            Operation op = ops.get(EventList.opOf(node));
            if (EventList.isCall(node)) {
                if (op.kind() != OpKind.APPEND && op.kind() != OpKind.GET) {
                    return false; // this write may come first and reset the key
                }
            } else if (op.kind() == OpKind.GET
                    && (op.readValue() == null || !op.readValue().startsWith(current))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if applying an unknown append now is useless because nothing can see it before it is overwritten: then
     * any way to finish from here also works without it (skipping, if needed, unknown cas operations it made
     * no-ops), and the search tries that way anyway. Without this, every stuck point far into a history retries
     * all the old unknown appends, in every order, each order a different string.
     *
     * <p>"Seen" means: before the next put or delete that must happen (the earliest return among them ends the
     * window, since anything linearized before it was called before it returned), a get reads a string starting
     * with the new one, or a cas compares against a string starting with the current one (a cas tells the two
     * apart by succeeding or failing).
     */
    static boolean unknownAppendGoesUnseen(EventList events, List<Operation> ops, String current, String next) {
        for (int node = events.first(); node != EventList.END; node = events.next(node)) {
            Operation other = ops.get(EventList.opOf(node));
            if (!EventList.isCall(node)) {
                if (other.kind() == OpKind.PUT || other.kind() == OpKind.DELETE) {
                    return true; // end of the window: that one is applied by its return
                }
            } else if (other.kind() == OpKind.GET) {
                if (other.readValue() != null && other.readValue().startsWith(next)) {
                    return false;
                }
            } else if (other.kind() == OpKind.CAS && mayMatch(other.expected(), current)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a cas expecting {@code expected} may find {@code current} with appends after it. */
    private static boolean mayMatch(String expected, String current) {
        if (expected == null) {
            return current == null;
        }
        return current == null || expected.startsWith(current);
    }
}
