package io.raftx.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts peers refused for their identity (a certificate for another node, a missing or replayed proof, a message
 * sent as another node than its connection proved) and logs each peer's first refusal of each kind as one WARN line
 * without a stack trace; repeats go to debug, so a misconfigured peer that keeps reconnecting cannot flood the log.
 */
final class IdentityRefusals {

    private static final Logger log = LoggerFactory.getLogger(IdentityRefusals.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final String nodeId;
    private final TransportMetrics metrics;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    IdentityRefusals(String nodeId, TransportMetrics metrics) {
        this.nodeId = nodeId;
        this.metrics = metrics;
    }

    /**
     * @param peer   who the peer says it is (or null), used with its host to log once per peer
     * @param host   the peer's remote host
     * @param reason what was wrong and what to do
     */
    void refused(String peer, String host, String method, io.grpc.Status.Code code, String reason) {
        metrics.identityRefused.increment();
        if (logged.size() > MAX_REMEMBERED) {
            logged.clear();
        }
        if (logged.add(peer + "@" + host + ":" + code)) {
            log.warn("node {}: refused {} from peer '{}' at {}: {} {} (further refusals of this peer are logged at"
                    + " debug and counted in raftx_transport_identity_refused_total)", nodeId, method, peer, host,
                    code, reason);
        } else {
            log.debug("node {}: refused {} from peer '{}' at {}: {} {}", nodeId, method, peer, host, code, reason);
        }
    }
}
