package io.raftx.statemachine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Optional capability of a {@link StateMachine}: captures a consistent view of its state cheaply on the event-loop
 * thread (references to immutable values, not their bytes), so that the runtime writes the snapshot file on another
 * thread while commands go on being applied. Without it, {@link StateMachine#snapshot} runs on the loop and the node
 * waits for the whole file, which for a state of a few MB is longer than a heartbeat interval.
 */
public interface SnapshotCapture {

    /**
     * Called on the event-loop thread, between two applies: the state as of the last applied command. The returned
     * view must not change when later commands are applied; its {@link CapturedState#writeTo} runs on another thread
     * and writes what {@link StateMachine#snapshot} would have written at this point.
     */
    CapturedState captureSnapshot();

    /** A captured state, written once, on a thread of the runtime's choosing. */
    @FunctionalInterface
    interface CapturedState {

        /** Writes the captured state; the stream is buffered; do not close it. */
        void writeTo(OutputStream out) throws IOException;
    }
}
