package io.raftx.sim;

/**
 * Deliberate mistakes a runtime could make around the Ready contract. The simulator can inject them to prove the
 * {@link InvariantChecker} notices (see {@code SimulatorSelfTest}); real runs use {@link #NONE}.
 */
public enum RuntimeDefect {
    NONE,
    /** Persists term and commit but drops the vote: after a crash the node may vote twice in one term. */
    FORGETS_VOTE,
    /** Sends every message (acks, votes too) with the eager ones, before writing: a crash in between breaks promises. */
    SENDS_BEFORE_PERSIST,
    /** Never persists entries a follower received (but still acknowledges them). */
    LOSES_FOLLOWER_ENTRIES,
    /** Serves a confirmed read at once, without waiting until the serving node applied up to the read index. */
    SERVES_READS_WITHOUT_WAITING,
    /** Serves lease reads on any node that believes it leads, without asking the core whether the lease holds. */
    LEASE_READS_WITHOUT_LEASE
}
