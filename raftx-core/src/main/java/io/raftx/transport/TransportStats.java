package io.raftx.transport;

import java.util.Map;

/**
 * Counters of a transport since it was created (a snapshot; fields are read independently).
 *
 * @param sent             messages written to a replication stream or acknowledged by a vote call
 * @param received         inbound messages accepted and handed to the handler
 * @param inboundRejected  inbound calls or messages refused (bad token, wrong cluster, unknown sender, wrong
 *                         recipient, invalid message, identity)
 * @param identityRefused  of those, refused for the peer's identity: a TLS certificate that does not name the node
 *                         id the peer claims, a missing, wrong or replayed node id proof, or a message sent as
 *                         another node than its connection proved
 * @param streamFailures   outbound replication streams that ended with an error (each is followed by a reconnect)
 * @param dropped          outbound messages dropped, by reason (every reason present, possibly 0)
 * @param inboundBytes     now: bytes of peer messages handed to the node and not yet processed by its loop
 * @param inboundPauses    times a replication stream stopped reading because {@code inboundBytes} was over
 *                         {@link TransportConfig#maxInboundBytes()} (it reads again once the loop caught up)
 * @param inboundRefusedFull unary calls (votes, forwarded requests) refused with {@code RESOURCE_EXHAUSTED} for it
 */
public record TransportStats(long sent, long received, long inboundRejected, long identityRefused, long streamFailures,
                             Map<DropReason, Long> dropped, long inboundBytes, long inboundPauses,
                             long inboundRefusedFull) {

    public TransportStats {
        dropped = Map.copyOf(dropped);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
