package io.raftx.node;

public enum ReadConsistency {
    /** Reflects every write that completed before the read began, on any node (ReadIndex through the leader). */
    LINEARIZABLE,
    /**
     * Like LINEARIZABLE, but the leader answers from its lease without a heartbeat round while the lease holds.
     * Correct as long as node clocks run at nearly the same rate (see the design docs).
     */
    LEASE,
    /** This node's applied state: fast, possibly stale. */
    LOCAL
}
