package io.raftx.lincheck;

/** Outcome of a check. Only {@link #LINEARIZABLE} is a pass; running out of search budget is not. */
public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search gave up before deciding; reported as a failure so that a hard history never passes silently. */
    BUDGET_EXCEEDED
}
