package io.raftx.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * What a snapshot file carries between its header and trailer: the node's replicated state. The {@link Snapshotter}
 * decides when and in which order files are written, installed and restored; the node decides what goes in them.
 */
public interface SnapshotPayload {

    /** Writes the current state; called on the loop thread, so the state does not change meanwhile. */
    void write(OutputStream out) throws IOException;

    /**
     * Captures the current state on the loop thread, to be written on another thread while the node goes on; empty
     * if the state cannot be captured cheaply (then {@link #write} runs on the loop).
     */
    Optional<SnapshotContent> capture();

    /**
     * Replaces the current state with what {@link #write} wrote, at log index {@code index}.
     *
     * @throws IOException if the bytes cannot be read as a state (the caller reports it with the file's name)
     */
    void restore(InputStream in, long index) throws IOException;
}
