package io.raftx.sim;

/**
 * Deliberate mistakes a runtime could make around the Ready contract. The simulator can inject them to prove the
 * {@link InvariantChecker} notices (see {@code CheckerSelfTest}); real runs use {@link #NONE}.
 */
public enum RuntimeDefect {
    NONE,
    /** Persists term and commit but drops the vote: after a crash the node may vote twice in one term. */
    FORGETS_VOTE,
    /** Sends every message (acks, votes too) with the eager ones, before writing: a crash in between breaks promises. */
    SENDS_BEFORE_PERSIST,
    /** Never persists entries a follower received (but still acknowledges them). */
    LOSES_FOLLOWER_ENTRIES
}
