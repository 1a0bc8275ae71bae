package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wing &amp; Gong's linearizability search over one key's operations, with Lowe's state cache. One instance, one run.
 *
 * <p>Walk the time-sorted event list from the front: a call whose answer the model allows in the current state is
 * linearized (lifted out of the list) and the walk restarts from the front; reaching a return means the operation
 * that returns there cannot be put off any longer, so the last choice is undone and the walk goes on after it. The
 * cache remembers every (set of linearized operations, state) already reached: from the same pair the rest of the
 * search is the same, so it is never explored twice.
 *
 * <p>Only operations with a known answer must be linearized. Unknown ones may be placed after everything else,
 * where nothing observes them, which is the same as "never took effect"; so the search succeeds as soon as every
 * known operation is linearized.
 */
final class KeySearch {

    record Outcome(Verdict verdict, List<Operation> longestOrder, String stateAfterLongest, long steps) {
    }

    private record Visited(BitSet linearizedKnown, String state) {
    }

    private final List<Operation> ops;
    private final long stepBudget;
    private final EventList events;
    private final Map<Visited, List<long[]>> cache = new HashMap<>();
    private final BitSet linearizedKnown;
    private final long[] linearizedUnknown;
    private final int[] stackOp;
    private final String[] stackState;
    private int depth;
    private String state = RegisterModel.INITIAL;
    private int knownLeft;
    private int[] longest = new int[0];
    private String stateAfterLongest = RegisterModel.INITIAL;

    /** @param ops one key's operations, with no unknown-outcome gets (they constrain nothing) */
    KeySearch(List<Operation> ops, long stepBudget) {
        this.ops = List.copyOf(ops);
        this.stepBudget = stepBudget;
        this.events = new EventList(this.ops);
        this.linearizedKnown = new BitSet(ops.size());
        this.linearizedUnknown = new long[(ops.size() + 63) / 64];
        this.stackOp = new int[ops.size()];
        this.stackState = new String[ops.size()];
        this.knownLeft = (int) ops.stream().filter(op -> !op.isUnknown()).count();
    }

    Outcome run() {
        if (knownLeft == 0) {
            return outcome(Verdict.LINEARIZABLE, 0);
        }
        // Candidates are tried in two passes: known operations first, unknown ones only when those are exhausted.
        // A return never pushes an unknown call out of the candidates, so trying them first would apply them as
        // early as possible at every level: rarely what happened, and a lot of backtracking.
        boolean unknownPass = false;
        int node = events.first();
        for (long steps = 1; steps <= stepBudget; steps++) {
            // While a known operation is left its return is in the list, so the walk meets a return (and
            // backtracks) before it can run off the end.
            assert node != EventList.END;
            if (EventList.isCall(node)) {
                int op = EventList.opOf(node);
                if (ops.get(op).isUnknown() == unknownPass && tryLinearize(op)) {
                    if (knownLeft == 0) {
                        return outcome(Verdict.LINEARIZABLE, steps);
                    }
                    unknownPass = false;
                    node = events.first();
                } else {
                    node = events.next(node);
                }
            } else if (!unknownPass) {
                unknownPass = true;
                node = events.first();
            } else if (depth == 0) {
                return outcome(Verdict.NOT_LINEARIZABLE, steps);
            } else {
                int undone = undoLast();
                unknownPass = ops.get(undone).isUnknown();
                node = events.next(EventList.callNode(undone));
            }
        }
        return outcome(Verdict.BUDGET_EXCEEDED, stepBudget);
    }

    /** Linearizes the operation next if its answer fits and the resulting configuration is new and not dead. */
    private boolean tryLinearize(int i) {
        Operation op = ops.get(i);
        if (!RegisterModel.allows(op, state)) {
            return false;
        }
        String next = RegisterModel.next(op, state);
        // An unknown operation that changes nothing here is better left for later (or never): taking it now only
        // removes options.
        if (op.isUnknown() && (Objects.equals(next, state) || unknownAppendGoesUnseen(op, next))) {
            return false;
        }
        setLinearized(i, true);
        if (!remember(next)) {
            setLinearized(i, false);
            return false;
        }
        events.lift(i);
        boolean last = !op.isUnknown() && knownLeft == 1;
        if (!last && appendsCannotReachUpcomingRead(next)) {
            events.unlift(i);
            setLinearized(i, false);
            return false;
        }
        knownLeft -= op.isUnknown() ? 0 : 1;
        stackOp[depth] = i;
        stackState[depth] = state;
        depth++;
        state = next;
        if (depth > longest.length) {
            longest = Arrays.copyOf(stackOp, depth);
            stateAfterLongest = state;
        }
        return true;
    }

    private void setLinearized(int i, boolean value) {
        if (ops.get(i).isUnknown()) {
            long bit = 1L << i;
            linearizedUnknown[i >>> 6] = value ? linearizedUnknown[i >>> 6] | bit : linearizedUnknown[i >>> 6] & ~bit;
        } else {
            linearizedKnown.set(i, value);
        }
    }

    /**
     * Lowe's cache, extended for unknown operations: the same known operations done and the same state, but with
     * only a subset of the unknown ones used up, leaves at least the same options (an unknown operation never has
     * to be taken). So a configuration is new unless a remembered one with equal known set and state used a subset
     * of its unknown operations. Without this, each unknown operation can double the configurations to explore.
     *
     * @return true if the current configuration with state {@code next} was new and is now remembered
     */
    private boolean remember(String next) {
        // Probe with the live bit set; only a new entry pays for a copy.
        List<long[]> unknownSetsSeen = cache.get(new Visited(linearizedKnown, next));
        if (unknownSetsSeen == null) {
            unknownSetsSeen = new ArrayList<>(1);
            cache.put(new Visited((BitSet) linearizedKnown.clone(), next), unknownSetsSeen);
        }
        for (long[] seen : unknownSetsSeen) {
            if (isSubset(seen, linearizedUnknown)) {
                return false;
            }
        }
        unknownSetsSeen.removeIf(seen -> isSubset(linearizedUnknown, seen));
        unknownSetsSeen.add(linearizedUnknown.clone());
        return true;
    }

    private static boolean isSubset(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Backtracks the most recent choice; returns the operation that is no longer linearized. */
    private int undoLast() {
        depth--;
        int i = stackOp[depth];
        state = stackState[depth];
        setLinearized(i, false);
        events.unlift(i);
        knownLeft += ops.get(i).isUnknown() ? 0 : 1;
        return i;
    }

    /**
     * Lowe's cache cannot help when concurrent appends can be ordered in many ways: every order is a different
     * string, so a different state. This cuts such orders as soon as they contradict a read that must come soon.
     *
     * <p>Appends only extend the string. Take a read g still to be linearized whose return comes before the call
     * of every remaining put, delete and cas (in the time-sorted list: a return met before any such call). Only
     * appends and reads can be linearized before g, so g must see the current string, possibly extended. If it
     * cannot, this configuration has no completion.
     */
    private boolean appendsCannotReachUpcomingRead(String current) {
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
     * An unknown append applied now is useless if nothing can see it before it is overwritten: then any way to
     * finish from here also works without it (possibly by skipping some unknown cas that it made a no-op), and
     * the search tries that anyway. Without this, every stuck point far into a history retries all the old unknown
     * appends, in every order, each order being a different string.
     *
     * <p>"Seen" means: before the next put or delete that must happen (the earliest return among them bounds the
     * window, since anything linearized before it was called before it returned), a get reads a string starting
     * with the appended one, or a cas compares against a string starting with the current one (a cas can also
     * tell the appended string from the current one by failing).
     */
    private boolean unknownAppendGoesUnseen(Operation op, String next) {
        if (op.kind() != OpKind.APPEND) {
            return false;
        }
        for (int node = events.first(); node != EventList.END; node = events.next(node)) {
            Operation other = ops.get(EventList.opOf(node));
            if (!EventList.isCall(node)) {
                if (other.kind() == OpKind.PUT || other.kind() == OpKind.DELETE) {
                    return true; // end of the window: this one must be applied by its return
                }
            } else if (other.kind() == OpKind.GET) {
                if (other.readValue() != null && other.readValue().startsWith(next)) {
                    return false;
                }
            } else if (other.kind() == OpKind.CAS && startsWithOrBothAbsent(other.expected(), state)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a cas expecting {@code expected} might see {@code current}, plus appends: the current state. */
    private static boolean startsWithOrBothAbsent(String expected, String current) {
        if (expected == null) {
            return current == null;
        }
        return current == null || expected.startsWith(current);
    }

    private Outcome outcome(Verdict verdict, long steps) {
        List<Operation> order = new ArrayList<>(longest.length);
        for (int i : longest) {
            order.add(ops.get(i));
        }
        return new Outcome(verdict, order, stateAfterLongest, steps);
    }
}
