package io.raftx.statemachine;

/**
 * The replicated application state. The runtime calls {@link #apply} on its event-loop thread for every committed
 * command, in log order, exactly once per command (retries carrying the same request id are filtered out before).
 * Implementations must be deterministic: the same commands in the same order produce the same state and results
 * on every node.
 */
public interface StateMachine {

    /**
     * Applies one committed command and returns the result handed back to the proposer (may be empty, not null).
     * Throwing is reserved for bugs: the command was already committed and every replica will apply it.
     */
    byte[] apply(long index, byte[] command);
}
