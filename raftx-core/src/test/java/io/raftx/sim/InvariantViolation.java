package io.raftx.sim;

import java.util.List;

/** A broken safety or liveness property, with everything needed to replay and understand it. */
public final class InvariantViolation extends AssertionError {

    private final long seed;
    private final String invariant;

    InvariantViolation(long seed, long step, long time, String invariant, String detail, List<String> trace,
                       String nodes, Throwable cause) {
        super(format(seed, step, time, invariant, detail, trace, nodes), cause);
        this.seed = seed;
        this.invariant = invariant;
    }

    public long seed() {
        return seed;
    }

    public String invariant() {
        return invariant;
    }

    private static String format(long seed, long step, long time, String invariant, String detail,
                                 List<String> trace, String nodes) {
        return "invariant violated: " + invariant + "\n  " + detail
                + "\n  seed=" + seed + " step=" + step + " time=" + time
                + "\nnodes:\n" + nodes
                + "\nlast " + trace.size() + " events:\n" + String.join("\n", trace);
    }
}
