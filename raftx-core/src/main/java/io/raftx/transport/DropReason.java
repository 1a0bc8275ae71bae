package io.raftx.transport;

/**
 * Why a message was not delivered: mostly why {@link Transport#send} dropped it; {@link #BLOCKED} also counts inbound
 * messages. Each drop is counted in {@link TransportStats}.
 */
public enum DropReason {
    /** The peer's bounded outbound queue (or its limit on in-flight vote calls) was full. */
    QUEUE_FULL,
    /** The message was addressed to a node that is not a peer (unknown id, or this node itself). */
    UNKNOWN_PEER,
    /** The encoded message exceeds {@link TransportConfig#maxMessageBytes()}. */
    OVERSIZED,
    /** The message failed validation (see {@link MessageCodec}). */
    INVALID,
    /** The transport was not started yet, or is closed. */
    NOT_RUNNING,
    /** A vote call failed (deadline, peer down, rejected), or the queue was discarded because the peer was removed. */
    SEND_FAILED,
    /**
     * Fault injection: the message was to or from a peer cut off with {@link GrpcTransport#blockPeers} (counted on
     * both sides: outbound messages when sent, inbound ones when received).
     */
    BLOCKED
}
