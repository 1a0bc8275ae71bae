package io.raftx.transport;

import io.raftx.raft.Message;

/**
 * Receives the Raft messages a {@link Transport} accepted from peers.
 *
 * <p>Called from transport threads, possibly from several at once (one per sending peer and per vote call). Messages
 * from one peer's replication stream arrive in the order they were sent. Implementations must be thread-safe and must
 * not block: hand the message to the node's event loop (e.g. a queue) and return.
 */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(Message message);
}
