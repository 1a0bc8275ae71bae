package io.raftx.transport;

import io.grpc.Status;
import io.raftx.raft.Message;
import io.raftx.transport.proto.PeerEnvelope;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Encoding checks and drop accounting for the messages to one peer, shared by its stream and its unary calls. */
final class PeerDrops {

    private static final Logger log = LoggerFactory.getLogger(PeerChannel.class);

    private final String nodeId;
    private final String peerId;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;
    private final BooleanSupplier closing;

    PeerDrops(String nodeId, String peerId, TransportConfig config, TransportMetrics metrics, LogLimiter logLimiter,
              BooleanSupplier closing) {
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.config = config;
        this.metrics = metrics;
        this.logLimiter = logLimiter;
        this.closing = closing;
    }

    /** Validates and encodes; on failure counts the drop and returns null. */
    PeerEnvelope encode(Message m) {
        PeerEnvelope envelope;
        try {
            envelope = MessageCodec.toEnvelope(m);
        } catch (InvalidMessageException e) {
            drop(DropReason.INVALID, m, e.getMessage());
            return null;
        }
        int size = envelope.getSerializedSize();
        // Sent inside a PeerBatch, which adds the field's tag and length: the receiver counts those too.
        if (size + ReplicationStream.BATCH_FRAMING_BYTES > config.maxMessageBytes()) {
            drop(DropReason.OVERSIZED, m, "encoded size " + size + " bytes (plus " + ReplicationStream.BATCH_FRAMING_BYTES
                    + " of batch framing) exceeds maxMessageBytes " + config.maxMessageBytes());
            return null;
        }
        return envelope;
    }

    /**
     * A call failed. An unreachable or slow peer is normal (starting, stopping, partitioned) and the replication
     * stream already reports it, so those go to debug; anything else is worth a warning.
     */
    void callFailed(Message m, Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED
                || status.getCode() == Status.Code.CANCELLED) {
            metrics.dropped(DropReason.SEND_FAILED);
            log.debug("node {}: dropped {} to {}: {} {}", nodeId, m, peerId, status.getCode(), status.getDescription());
        } else {
            drop(DropReason.SEND_FAILED, m, "call failed: " + status.getCode() + " " + status.getDescription());
        }
    }

    void drop(DropReason reason, Message m, String why) {
        metrics.dropped(reason);
        if (closing.getAsBoolean()) {
            log.debug("node {}: dropped {} to {} while closing: {} ({})", nodeId, m, peerId, reason, why);
            return;
        }
        long suppressed = logLimiter.tryAcquire("drop:" + nodeId + "->" + peerId + ":" + reason);
        if (suppressed >= 0 && reason != DropReason.NOT_RUNNING) {
            log.warn("node {}: dropped {} to {}: {} ({}){}", nodeId, m, peerId, reason, why,
                    suppressed > 0 ? "; " + suppressed + " similar drops not logged" : "");
        } else if (log.isDebugEnabled()) {
            log.debug("node {}: dropped {} to {}: {} ({})", nodeId, m, peerId, reason, why);
        }
    }
}
