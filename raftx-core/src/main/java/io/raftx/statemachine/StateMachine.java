package io.raftx.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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

    /**
     * Writes the complete state as of the last applied index. Called on the event-loop thread, so the state is
     * consistent without copying it, but the node waits meanwhile: keep it a sequential write (a large state that
     * cannot be written in about a second should copy a consistent view cheaply and write that). The stream is
     * buffered; do not close it.
     */
    default void snapshot(OutputStream out) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not support snapshots");
    }

    /** Replaces the whole state with a snapshot written by {@link #snapshot}. Must not fire watch events. */
    default void restore(InputStream in) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not support snapshots");
    }
}
