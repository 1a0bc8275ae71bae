package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a {@link History} of the key-value store is linearizable.
 *
 * <p>Every operation touches a single key, so the history is linearizable iff each key's sub-history is
 * (P-compositionality / locality, Herlihy &amp; Wing): keys are checked one by one, each with a much smaller
 * search than the whole history would need.
 */
public final class LinearizabilityChecker {

    /**
     * Search steps allowed per key. The hardest linearizable key among the shared vectors needs about 55 thousand;
     * 5 million take a few seconds and at most roughly 0.5 GB of state cache, which bounds a pathological history.
     */
    public static final long DEFAULT_STEP_BUDGET = 5_000_000L;

    /** First budget of the round-robin below; most keys are decided well within it. */
    private static final long FIRST_ROUND_BUDGET = 20_000L;
    private static final int BUDGET_GROWTH = 4;

    private final long stepBudgetPerKey;

    public LinearizabilityChecker() {
        this(DEFAULT_STEP_BUDGET);
    }

    public LinearizabilityChecker(long stepBudgetPerKey) {
        if (stepBudgetPerKey <= 0) {
            throw new IllegalArgumentException("step budget must be positive");
        }
        this.stepBudgetPerKey = stepBudgetPerKey;
    }

    /**
     * Checks every key; stops at the first key found not linearizable and explains it. A key whose search runs
     * out of budget is reported only if no key is proven not linearizable.
     *
     * <p>Proving a violation means exhausting the search, which can be exponential, and some violating keys are
     * far harder than others. So keys are searched round-robin with a budget that grows each round (restarting
     * costs at most a third more): an easy violation on one key is found without first spending the whole budget
     * on a hard key that sorts before it.
     */
    public Result check(History history) {
        Map<String, List<Operation>> undecided = new LinkedHashMap<>();
        history.byKey().forEach((key, ops) -> undecided.put(key, withoutUnknownReads(ops)));
        String overBudget = null;
        for (long budget = Math.min(FIRST_ROUND_BUDGET, stepBudgetPerKey); !undecided.isEmpty();
             budget = Math.min(budget * BUDGET_GROWTH, stepBudgetPerKey)) {
            for (var it = undecided.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, List<Operation>> entry = it.next();
                KeySearch.Outcome outcome = new KeySearch(entry.getValue(), budget).run();
                switch (outcome.verdict()) {
                    case LINEARIZABLE -> it.remove();
                    case NOT_LINEARIZABLE -> {
                        // The prefixes tried while explaining are no harder than this, give or take.
                        long explainBudget = Math.min(stepBudgetPerKey, BUDGET_GROWTH * budget);
                        return new ViolationExplainer(explainBudget).explain(entry.getKey(), entry.getValue());
                    }
                    case BUDGET_EXCEEDED -> {
                        if (budget == stepBudgetPerKey) {
                            it.remove();
                            overBudget = overBudget == null ? entry.getKey() : overBudget;
                        }
                    }
                }
            }
        }
        if (overBudget == null) {
            return Result.linearizable();
        }
        return new Result(Verdict.BUDGET_EXCEEDED, overBudget, "key '" + overBudget + "': undecided after "
                + stepBudgetPerKey + " search steps over " + history.byKey().get(overBudget).size()
                + " operations; treated as a failure", List.of());
    }

    /** A read whose answer never came tells nothing and changes nothing, so it is left out of the search. */
    static List<Operation> withoutUnknownReads(List<Operation> ops) {
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            if (!(op.kind() == OpKind.GET && op.isUnknown())) {
                kept.add(op);
            }
        }
        return kept;
    }
}
