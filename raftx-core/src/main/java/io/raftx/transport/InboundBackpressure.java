package io.raftx.transport;

import java.util.concurrent.Executor;

/**
 * Optional capability of a {@link Transport}: it bounds the bytes of peer messages handed to its handlers and not yet
 * processed by the node's loop ({@link TransportConfig#maxInboundBytes()}). Over the bound it stops reading replication
 * streams (HTTP/2 flow control then holds the peer back, and nothing is dropped) and refuses unary calls with
 * {@code RESOURCE_EXHAUSTED}; it reads again once the loop has worked the backlog down below the bound.
 *
 * <p>The handlers only queue work for the loop, so the transport learns when that work ran from the loop itself:
 * until {@link #processInboundOn} is called, messages count as processed when the handler returns, and nothing
 * is bounded.
 */
public interface InboundBackpressure {

    /**
     * The node's loop: {@code loop} must run each task on the thread that runs the work the handlers queue, after all
     * the work they queued before the task was submitted (a FIFO queue shared with it). A task it cannot take (the
     * node stopped) may throw; those bytes then count as processed.
     */
    void processInboundOn(Executor loop);
}
