package io.raftx.lincheck;

import java.util.List;

/**
 * The checker's answer.
 *
 * @param verdict       linearizable, not, or undecided within the budget (a failure too)
 * @param key           the key whose sub-history failed, {@code null} when linearizable
 * @param explanation   one paragraph for a test failure message
 * @param failingPrefix the smallest prefix of that key's sub-history found to be non-linearizable (operations still
 *                      running at the cut have an unknown outcome); empty unless not linearizable. Write it with
 *                      {@link HistoryIO} to replay the failure on its own.
 */
public record Result(Verdict verdict, String key, String explanation, List<Operation> failingPrefix) {

    public Result {
        failingPrefix = List.copyOf(failingPrefix);
    }

    static Result linearizable() {
        return new Result(Verdict.LINEARIZABLE, null, "linearizable", List.of());
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    @Override
    public String toString() {
        return verdict + ": " + explanation;
    }
}
