package io.raftx.spring.core;

import io.raftx.node.ReadConsistency;

/**
 * Told about every request a {@link RaftxTemplate} completes; the metrics auto-configuration registers one that
 * records timers. Called on the thread that completed the request, which may be the node's event loop: return fast
 * and never block.
 */
@FunctionalInterface
public interface RaftxRequestObserver {

    RaftxRequestObserver NONE = request -> { };

    void requestCompleted(CompletedRequest request);

    /** How a request ended, as the caller saw it. */
    enum Outcome {
        SUCCESS, INVALID, NOT_APPLIED, UNKNOWN;

        static Outcome of(RuntimeException e) {
            if (e == null) {
                return SUCCESS;
            }
            if (e instanceof RaftxInvalidRequestException) {
                return INVALID;
            }
            return e instanceof RaftxException r && r.definitelyNotApplied() ? NOT_APPLIED : UNKNOWN;
        }
    }

    /**
     * @param operation   the template method, e.g. {@code set}, {@code get}, {@code transaction}
     * @param write       whether the request was a proposal (a write) rather than a read
     * @param consistency the read's consistency; null for writes
     */
    record CompletedRequest(String operation, boolean write, ReadConsistency consistency, Outcome outcome,
                            long durationNanos) {
    }
}
