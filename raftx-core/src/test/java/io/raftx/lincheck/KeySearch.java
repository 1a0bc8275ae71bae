package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Wing &amp; Gong's linearizability search over one key's operations, with Lowe's state cache. One instance, one run.
 *
 * <p>Walk the time-sorted event list from the front: a call whose answer the model allows in the current state is
 * linearized (lifted out of the list) and the walk restarts from the front; reaching a return means the operation
 * that returns there cannot be put off any longer, so the last choice is undone and the walk goes on after it. The
 * {@link StateCache} makes sure no configuration is explored twice; {@link AppendRules} cut hopeless ones early.
 *
 * <p>Only operations with a known answer must be linearized. Unknown ones may be placed after everything else,
 * where nothing observes them, which is the same as "never took effect"; so the search succeeds as soon as every
 * known operation is linearized.
 */
final class KeySearch {

    record Outcome(Verdict verdict, List<Operation> longestOrder, String stateAfterLongest, long steps) {
    }

    private final List<Operation> ops;
    private final long stepBudget;
    private final EventList events;
    private final StateCache cache = new StateCache();
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
        // An unknown operation that changes nothing here, or nothing anyone sees, is better left for later (or
        // never): taking it now only removes options.
        if (op.isUnknown() && (Objects.equals(next, state) || (op.kind() == OpKind.APPEND
                && AppendRules.unknownAppendGoesUnseen(events, ops, state, next)))) {
            return false;
        }
        setLinearized(i, true);
        if (!cache.remember(linearizedKnown, linearizedUnknown, next)) {
            setLinearized(i, false);
            return false;
        }
        events.lift(i);
        boolean last = !op.isUnknown() && knownLeft == 1;
        if (!last && AppendRules.cannotReachUpcomingRead(events, ops, next)) {
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

    private Outcome outcome(Verdict verdict, long steps) {
        List<Operation> order = new ArrayList<>(longest.length);
        for (int i : longest) {
            order.add(ops.get(i));
        }
        return new Outcome(verdict, order, stateAfterLongest, steps);
    }
}
