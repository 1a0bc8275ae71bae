package io.raftx.volatilenode;

/** How a volatile read is served. */
public enum VolatileConsistency {
    /**
     * Through the leader, after a majority of voters confirmed it still leads (read-index, no clocks): reflects
     * every write acknowledged before the read was asked. Followers forward it to the leader.
     */
    STRONG,
    /**
     * This node's applied state: a prefix of the one order, never going back on a running node, but possibly stale,
     * and empty on a node that restarted and has not synced yet.
     */
    LOCAL
}
