package io.raftx.snapshot;

import java.util.concurrent.CompletableFuture;

/**
 * What a transport implements to stream snapshot files between members, beside their SNAPSHOT messages (an optional
 * capability of {@code io.raftx.transport.Transport}; the interface lives here so that the transport depends on the
 * snapshot package and not the reverse).
 */
public interface SnapshotStreaming {

    /**
     * Accepts snapshot files streamed by other members into {@code sink}; call before the transport starts
     * (without a sink, offers are refused). SNAPSHOT messages never reach the message handler: they arrive through
     * the sink, with their data.
     */
    void acceptSnapshots(SnapshotSink sink);

    /**
     * Streams a snapshot file to {@code snapshot.to()} in chunks, resuming after the bytes the receiver kept from an
     * earlier, broken transfer of the same snapshot. Completes once the receiver verified the whole file and took
     * the SNAPSHOT message; fails with a {@link SnapshotTransferException} otherwise. Cancelling the future stops
     * the transfer. The file channel is closed when the transfer ends.
     */
    CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot);
}
