package io.raftx.transport;

import io.raftx.raft.Message;

import java.util.Map;

/**
 * Delivers one-way Raft messages between cluster members. Delivery is best effort: messages may be dropped,
 * delayed or (across reconnects) duplicated, which Raft tolerates. A response is a separate message sent back by the
 * receiver's own transport.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts accepting messages from peers and hands each accepted one to {@code handler}.
     *
     * @throws IllegalStateException if already started or closed
     * @throws java.io.UncheckedIOException if the listening socket cannot be bound
     */
    default void start(MessageHandler handler) {
        start(handler, null);
    }

    /**
     * Like {@link #start(MessageHandler)}, and also serves requests other members {@link #forward} to this node
     * ({@code forwardHandler} null: they are refused as unavailable).
     */
    void start(MessageHandler handler, ForwardHandler forwardHandler);

    /**
     * Like {@link #start(MessageHandler, ForwardHandler)}, and also accepts snapshot files streamed by other members
     * into {@code snapshotSink} (null: they are refused). SNAPSHOT messages never reach {@code handler}: they arrive
     * through the sink, with their data. A transport that cannot stream snapshots ignores the sink.
     */
    default void start(MessageHandler handler, ForwardHandler forwardHandler, SnapshotSink snapshotSink) {
        start(handler, forwardHandler);
    }

    /**
     * Streams a snapshot file to {@code snapshot.to()} in chunks, resuming after the bytes the receiver kept from an
     * earlier, broken transfer of the same snapshot. Completes once the receiver verified the whole file and took
     * the SNAPSHOT message; fails with a {@link SnapshotTransferException} otherwise. Cancelling the future stops
     * the transfer. The file channel is closed when the transfer ends.
     */
    default java.util.concurrent.CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        try {
            snapshot.file().close();
        } catch (java.io.IOException ignored) {
            // nothing was read from it
        }
        return java.util.concurrent.CompletableFuture.failedFuture(new SnapshotTransferException(
                getClass().getSimpleName() + " cannot stream snapshots", 0, null));
    }

    /**
     * Sends a message of a protocol that runs beside Raft to member {@code to}, best effort like {@link #send}:
     * never blocks, drops are counted. Delivered to the receiver's {@link ExtensionHandler} for {@code channel}.
     */
    default void sendExtension(String to, String channel, byte[] payload) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not carry extension messages");
    }

    /** Registers the handler for messages on {@code channel}; call before {@link #start}. */
    default void onExtension(String channel, ExtensionHandler handler) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not carry extension messages");
    }

    /**
     * Sends a client request to member {@code to} (the leader) and returns its answer. The future fails if the call
     * fails (unreachable, deadline): the caller cannot know whether the request was applied.
     */
    java.util.concurrent.CompletableFuture<ForwardResult> forward(String to, byte[] command, java.time.Duration timeout);

    /**
     * Like {@link #forward} for many requests in one call; the answers come back in the same order. The default
     * sends them one by one.
     */
    default java.util.concurrent.CompletableFuture<java.util.List<ForwardResult>> forwardBatch(
            String to, java.util.List<byte[]> commands, java.time.Duration timeout) {
        java.util.List<java.util.concurrent.CompletableFuture<ForwardResult>> calls = commands.stream()
                .map(c -> forward(to, c, timeout)).toList();
        return java.util.concurrent.CompletableFuture.allOf(calls.toArray(java.util.concurrent.CompletableFuture[]::new))
                .thenApply(v -> calls.stream().map(java.util.concurrent.CompletableFuture::join).toList());
    }

    /**
     * Queues {@code message} for {@code message.to()} and returns immediately. Never blocks and never throws for
     * delivery problems: when the peer is unknown, its bounded queue is full, the message is too large or the transport
     * is not running, the message is dropped, counted and logged. SNAPSHOT messages go through {@link #sendSnapshot}
     * with their data; a transport that streams snapshots drops them here.
     */
    void send(Message message);

    /**
     * Replaces the cluster membership: node id to {@code host:port}. This node's own id may be included (it is not
     * connected to). Only members may send to this node; messages to non-members are dropped.
     *
     * @throws IllegalArgumentException if an id or address is malformed
     */
    void updatePeers(Map<String, String> idToAddress);

    /** Stops the server and all peer connections. Idempotent. Queued messages are discarded. */
    @Override
    void close();
}
