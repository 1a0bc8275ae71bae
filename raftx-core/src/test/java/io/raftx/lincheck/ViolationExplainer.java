package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns "key k is not linearizable" into something a person can act on: the shortest prefix of the key's
 * events that already has no linearization, the answers that would have fitted instead of the last one, and the
 * longest valid order the search found inside it.
 *
 * <p>A prefix is the history cut at some event; operations that have not returned by then get an unknown outcome.
 * Cutting only removes constraints, so if a prefix fails every longer one fails too, and the shortest failing
 * prefix can be found by binary search. It ends with the return of the operation whose answer nothing can explain.
 */
final class ViolationExplainer {

    private static final int ORDER_SHOWN = 8;
    private static final int MAX_CANDIDATES = 20;

    private final long stepBudget;

    ViolationExplainer(long stepBudget) {
        this.stepBudget = stepBudget;
    }

    /** @param ops the key's operations (no unknown reads), already known not to be linearizable */
    Result explain(String key, List<Operation> ops) {
        List<Events.Event> events = Events.sorted(ops);
        // Invariant: the prefix of length hi fails (proven); prefixes up to lo were not proven to fail. A prefix
        // whose search runs out of budget counts as "not proven", so the reported prefix always really fails.
        int lo = 0;
        int hi = events.size();
        KeySearch.Outcome failing = null;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            KeySearch.Outcome outcome = new KeySearch(prefix(ops, events, mid), stepBudget).run();
            if (outcome.verdict() == Verdict.NOT_LINEARIZABLE) {
                hi = mid;
                failing = outcome;
            } else {
                lo = mid;
            }
        }
        List<Operation> prefix = prefix(ops, events, hi);
        if (failing == null) { // never narrowed: the whole history is the shortest failing prefix
            failing = new KeySearch(prefix, stepBudget).run();
        }
        Operation culprit = ops.get(events.get(hi - 1).op());
        String explanation = "key '" + key + "': not linearizable. Shortest failing prefix: " + prefix.size()
                + " of " + ops.size() + " operations, up to the return of " + culprit
                + "; no order of them that respects real time explains every answer."
                + answersThatWouldFit(prefix, culprit)
                + " Longest valid order found: " + describe(failing.longestOrder())
                + " (then the key is " + quote(failing.stateAfterLongest()) + ").";
        return new Result(Verdict.NOT_LINEARIZABLE, key, explanation, prefix);
    }

    /**
     * What the culprit could have answered instead, found by trying the other answers in the failing prefix (the
     * prefix is shortest, so without the culprit's answer it had a linearization): for a get, the values the key
     * could have held then.
     * Left out for appended strings, whose possible values are too many to list.
     */
    private String answersThatWouldFit(List<Operation> prefix, Operation culprit) {
        int at = prefix.indexOf(culprit);
        if (culprit.kind() == OpKind.CAS) {
            Operation flipped = Operation.cas(culprit.clientId(), culprit.key(), culprit.expected(), culprit.value(),
                    !culprit.casSucceeded(), culprit.call(), culprit.returnTime());
            return fits(prefix, at, flipped) ? " It would fit had the cas answered " + !culprit.casSucceeded() + "."
                    : "";
        }
        if (culprit.kind() != OpKind.GET || prefix.stream().anyMatch(op -> op.kind() == OpKind.APPEND)) {
            return "";
        }
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(null);
        prefix.stream().map(Operation::value).filter(Objects::nonNull).limit(MAX_CANDIDATES).forEach(candidates::add);
        candidates.remove(culprit.readValue());
        List<String> fitting = new ArrayList<>();
        for (String candidate : candidates) {
            Operation read = Operation.get(culprit.clientId(), culprit.key(), candidate, culprit.call(),
                    culprit.returnTime());
            if (fits(prefix, at, read)) {
                fitting.add(quote(candidate));
            }
        }
        return fitting.isEmpty() ? "" : " The read could only have returned " + String.join(" or ", fitting) + ".";
    }

    private boolean fits(List<Operation> prefix, int at, Operation replacement) {
        List<Operation> changed = new ArrayList<>(prefix);
        changed.set(at, replacement);
        return new KeySearch(changed, stepBudget).run().verdict() == Verdict.LINEARIZABLE;
    }

    /** The operations invoked within the first {@code length} events, answers cut off at that point. */
    private static List<Operation> prefix(List<Operation> ops, List<Events.Event> events, int length) {
        boolean[] called = new boolean[ops.size()];
        boolean[] returned = new boolean[ops.size()];
        for (Events.Event e : events.subList(0, length)) {
            (e.isReturn() ? returned : called)[e.op()] = true;
        }
        List<Operation> prefix = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (!called[i]) {
                continue;
            }
            if (returned[i]) {
                prefix.add(op);
            } else if (op.kind() != OpKind.GET) {
                prefix.add(op.withUnknownOutcome());
            }
        }
        return prefix;
    }

    private static String describe(List<Operation> order) {
        if (order.isEmpty()) {
            return "none";
        }
        int skipped = Math.max(0, order.size() - ORDER_SHOWN);
        String shown = order.subList(skipped, order.size()).stream()
                .map(Operation::toString).collect(Collectors.joining(", "));
        return (skipped > 0 ? "(" + skipped + " earlier), " : "") + shown;
    }

    private static String quote(String state) {
        return state == null ? "absent" : "'" + state + "'";
    }
}
