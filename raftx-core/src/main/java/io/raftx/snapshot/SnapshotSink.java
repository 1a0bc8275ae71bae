package io.raftx.snapshot;

import io.raftx.raft.Message;
import java.io.IOException;

/**
 * Receives snapshot files that peers stream to this node (the data beside a SNAPSHOT message). The transport calls
 * it from its own threads, one call at a time per transfer; the implementation stages the bytes, verifies them and
 * hands the SNAPSHOT message to the node once the whole file arrived.
 */
@FunctionalInterface
public interface SnapshotSink {

    /**
     * A peer offers the snapshot that {@code message} (a SNAPSHOT message addressed to this node) describes, a file
     * of {@code totalSize} bytes. The answer says where to continue: a transfer of the same snapshot that broke off
     * earlier resumes after the bytes already received.
     *
     * @throws IOException if the offer cannot be staged (for example the disk is full); the sender retries later
     */
    InboundSnapshot offer(Message message, long totalSize) throws IOException;
}
