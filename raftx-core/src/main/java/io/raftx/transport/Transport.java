package io.raftx.transport;

import io.raftx.raft.Message;
import io.raftx.snapshot.SnapshotStreaming;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers one-way Raft messages between cluster members and forwards client requests to the leader. Delivery is
 * best effort: messages may be dropped, delayed or (across reconnects) duplicated, which Raft tolerates. A response
 * is a separate message sent back by the receiver's own transport.
 *
 * <p>What not every transport can do is a separate interface a transport may also implement:
 * {@link SnapshotStreaming} (snapshot files beside SNAPSHOT messages) and {@link ExtensionMessaging} (protocols that
 * run beside Raft). Register their handlers before {@link #start}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts accepting messages from peers and hands each accepted one to {@code handler}; requests other members
     * {@link #forward} to this node go to {@code forwardHandler} (null: they are refused as unavailable).
     *
     * @throws IllegalStateException if already started or closed
     * @throws java.io.UncheckedIOException if the listening socket cannot be bound
     */
    void start(MessageHandler handler, ForwardHandler forwardHandler);

    /**
     * Sends a client request to member {@code to} (the leader) and returns its answer. The future fails if the call
     * fails (unreachable, deadline): the caller cannot know whether the request was applied.
     */
    CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout);

    /**
     * Like {@link #forward} for many requests in one call; the answers come back in the same order. The default
     * sends them one by one.
     */
    default CompletableFuture<List<ForwardResult>> forwardBatch(String to, List<byte[]> commands, Duration timeout) {
        List<CompletableFuture<ForwardResult>> calls = commands.stream().map(c -> forward(to, c, timeout)).toList();
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Queues {@code message} for {@code message.to()} and returns immediately. Never blocks and never throws for
     * delivery problems: when the peer is unknown, its bounded queue is full, the message is too large or the transport
     * is not running, the message is dropped, counted and logged. SNAPSHOT messages travel with their data through
     * {@link SnapshotStreaming#sendSnapshot}; a transport drops them here.
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
