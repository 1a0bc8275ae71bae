package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Wing &amp; Gong's linearizability search over one key's operations, with Lowe's state cache.
 *
 * <p>Walk the event list from the front: a call whose answer the model allows in the current state is linearized
 * (lifted out of the list) and the walk restarts from the front; reaching a return means the operation that
 * returns there cannot be put off any longer, so the last choice is undone and the walk goes on after it. The cache
 * remembers every (set of linearized operations, state) already reached: from the same pair the rest of the search
 * is the same, so it is never explored twice. That is what keeps histories with hundreds of operations fast.
 */
final class KeySearch {

    record Outcome(Verdict verdict, List<Operation> longestOrder, String stateAfterLongest, long steps) {
    }

    private record Visited(BitSet linearized, String state) {
    }

    private final List<Operation> ops;
    private final long stepBudget;

    /** @param ops one key's operations, with no unknown-outcome gets (they constrain nothing) */
    KeySearch(List<Operation> ops, long stepBudget) {
        this.ops = List.copyOf(ops);
        this.stepBudget = stepBudget;
    }

    Outcome run() {
        int n = ops.size();
        // Only operations with a known answer must be linearized. The unknown ones may be placed after everything
        // else, where nothing observes them, which is the same as "never took effect".
        int remaining = (int) ops.stream().filter(op -> !op.isUnknown()).count();
        if (remaining == 0) {
            return new Outcome(Verdict.LINEARIZABLE, List.of(), RegisterModel.INITIAL, 0);
        }
        EventList events = new EventList(ops);
        Set<Visited> cache = new HashSet<>();
        BitSet linearized = new BitSet(n);
        int[] stackOp = new int[n];
        String[] stackState = new String[n];
        int depth = 0;
        int[] longest = new int[0];
        String stateAfterLongest = RegisterModel.INITIAL;
        String state = RegisterModel.INITIAL;
        long steps = 0;

        // Candidates are tried in two passes: known operations first, unknown ones only when those are exhausted.
        // Unknown calls are never pushed out of the candidate set by a return, so trying them first would apply
        // them as early as possible at every level, which is rarely what happened and costs a lot of backtracking.
        boolean unknownPass = false;
        int node = events.first();
        while (true) {
            if (++steps > stepBudget) {
                return new Outcome(Verdict.BUDGET_EXCEEDED, orderOf(longest), stateAfterLongest, steps);
            }
            // While a known operation is still to be linearized its return is in the list, so the walk meets a
            // return (and backtracks) before it can run off the end.
            assert node != EventList.END;
            if (EventList.isCall(node)) {
                int i = EventList.opOf(node);
                Operation op = ops.get(i);
                if (op.isUnknown() == unknownPass && RegisterModel.allows(op, state)) {
                    String nextState = RegisterModel.next(op, state);
                    // An unknown operation that changes nothing here is better left for later (or never): taking
                    // it now only removes options, so it is pruned.
                    boolean useless = op.isUnknown() && Objects.equals(nextState, state);
                    linearized.set(i);
                    // Probe with the live bit set; only a new entry pays for a copy.
                    if (!useless && !cache.contains(new Visited(linearized, nextState))) {
                        cache.add(new Visited((BitSet) linearized.clone(), nextState));
                        events.lift(i);
                        if (!op.isUnknown() && remaining == 1) {
                            return new Outcome(Verdict.LINEARIZABLE, List.of(), nextState, steps);
                        }
                        if (appendsCannotReachUpcomingRead(events, nextState)) {
                            events.unlift(i);
                            linearized.clear(i);
                            node = events.next(node);
                            continue;
                        }
                        if (!op.isUnknown()) {
                            remaining--;
                        }
                        stackOp[depth] = i;
                        stackState[depth] = state;
                        depth++;
                        state = nextState;
                        if (depth > longest.length) {
                            longest = Arrays.copyOf(stackOp, depth);
                            stateAfterLongest = state;
                        }
                        node = events.first();
                        unknownPass = false;
                        continue;
                    }
                    linearized.clear(i);
                }
                node = events.next(node);
            } else if (!unknownPass) {
                unknownPass = true;
                node = events.first();
            } else {
                if (depth == 0) {
                    return new Outcome(Verdict.NOT_LINEARIZABLE, orderOf(longest), stateAfterLongest, steps);
                }
                depth--;
                int i = stackOp[depth];
                state = stackState[depth];
                linearized.clear(i);
                events.unlift(i);
                if (!ops.get(i).isUnknown()) {
                    remaining++;
                }
                unknownPass = ops.get(i).isUnknown();
                node = events.next(EventList.callNode(i));
            }
        }
    }

    /**
     * Lowe's cache cannot help when concurrent appends can be ordered in many ways: every order is a different
     * string, so a different state. This cuts such orders as soon as they contradict a read that must come next.
     *
     * <p>Appends only extend the string. Take a read g still to be linearized whose return comes before the call
     * of every remaining put, delete and cas (in the time-sorted list: a return met before any such call). Only
     * appends and reads can be linearized before g, so g must see the current string, possibly extended. If it
     * cannot, no completion of this state exists.
     */
    private boolean appendsCannotReachUpcomingRead(EventList events, String state) {
        if (state == null) {
            return false; // absent can still become anything by appends, or stay absent
        }
        for (int node = events.first(); node != EventList.END; node = events.next(node)) {
            Operation op = ops.get(EventList.opOf(node));
            if (EventList.isCall(node)) {
                if (op.kind() != OpKind.APPEND && op.kind() != OpKind.GET) {
                    return false; // this write may come first and reset the key
                }
            } else if (op.kind() == OpKind.GET
                    && (op.readValue() == null || !op.readValue().startsWith(state))) {
                return true;
            }
        }
        return false;
    }

    private List<Operation> orderOf(int[] indexes) {
        List<Operation> order = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            order.add(ops.get(i));
        }
        return order;
    }
}
