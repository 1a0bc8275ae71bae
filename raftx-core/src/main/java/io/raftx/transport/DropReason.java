package io.raftx.transport;

/**
 * Why a message was not delivered: why {@link Transport#send} (or a vote or extension call) dropped it. Each drop is counted in {@link TransportStats}.
 */
public enum DropReason {
    /** The peer's bounded outbound queue (or its limit on in-flight vote calls) was full. */
    QUEUE_FULL,
    /** The bytes queued for the peer would exceed {@link TransportConfig#maxQueuedBytes()}. */
    QUEUE_BYTES_FULL,
    /** The message was addressed to a node that is not a peer (unknown id, or this node itself). */
    UNKNOWN_PEER,
    /** The encoded message exceeds {@link TransportConfig#maxMessageBytes()}. */
    OVERSIZED,
    /** The message failed validation (see {@link MessageCodec}). */
    INVALID,
    /** The transport was not started yet, or is closed. */
    NOT_RUNNING,
    /** A vote call failed (deadline, peer down, rejected), or the queue was discarded because the peer was removed. */
    SEND_FAILED
}
