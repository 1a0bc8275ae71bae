package io.raftx.node;

public enum ReadConsistency {
    /** Reflects every write that completed before the read began, on any node (a committed barrier; see docs). */
    LINEARIZABLE,
    /** This node's applied state: fast, possibly stale. */
    LOCAL
}
