package io.raftx.transport;

import java.util.concurrent.CompletableFuture;

/** Receives client requests that a follower forwarded to this node (the leader, as far as the follower knew). */
@FunctionalInterface
public interface ForwardHandler {
    CompletableFuture<ForwardResult> onForward(String from, byte[] command);
}
