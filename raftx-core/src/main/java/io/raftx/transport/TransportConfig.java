package io.raftx.transport;

import java.time.Duration;

/**
 * Settings of a {@link GrpcTransport}. Build with {@link #builder(String, String)}; the canonical constructor
 * validates everything and throws {@link IllegalArgumentException} naming the offending setting.
 *
 * @param nodeId                  this node's id; inbound messages must be addressed to it
 * @param bindHost                interface to listen on ({@code 0.0.0.0} for all)
 * @param port                    port to listen on; 0 picks a free one (see {@link GrpcTransport#port()})
 * @param clusterId               cluster name sent with every call; a peer of another cluster is refused
 * @param clusterToken            shared secret sent with every call and required on every inbound call; printable
 *                                ASCII, at least {@value #MIN_TOKEN_LENGTH} characters
 * @param maxMessageBytes         largest encoded message accepted inbound and sent outbound
 * @param maxQueuedMessages       per-peer bound of queued replication messages, and of vote calls in flight
 * @param maxQueuedBytes          per-peer bound of the bytes those queued messages hold (entry data and payloads,
 *                                estimated before encoding); at least {@code maxMessageBytes}
 * @param maxInboundBytes         bound of the bytes of peer messages handed to the node and not yet processed by its
 *                                loop (encoded size, all peers together); above it the transport stops reading
 *                                replication streams and refuses unary calls until the loop catches up
 *                                ({@link InboundBackpressure})
 * @param voteTimeout             deadline of each vote call
 * @param reconnectBackoffInitial first delay before re-opening a broken replication stream
 * @param reconnectBackoffMax     cap of the exponentially growing reconnect delay
 * @param tls                     mutual TLS settings, or {@code null} for plaintext
 */
public record TransportConfig(String nodeId, String bindHost, int port, String clusterId, String clusterToken,
                              int maxMessageBytes, int maxQueuedMessages, long maxQueuedBytes, long maxInboundBytes,
                              Duration voteTimeout,
                              Duration reconnectBackoffInitial, Duration reconnectBackoffMax, TransportTlsConfig tls) {

    public static final int MIN_TOKEN_LENGTH = 16;
    public static final int MIN_MESSAGE_BYTES = 4 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1024;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_MAX_INBOUND_BYTES = 64L * 1024 * 1024;
    public static final String DEFAULT_CLUSTER_ID = "raftx";

    public TransportConfig {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId is required");
        }
        if (nodeId.length() > MessageCodec.MAX_NODE_ID_LENGTH) {
            throw new IllegalArgumentException("nodeId is longer than " + MessageCodec.MAX_NODE_ID_LENGTH
                    + " characters");
        }
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost is required (use 0.0.0.0 to listen on all interfaces)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0 = pick a free port), got " + port);
        }
        requireHeaderSafe("clusterId", clusterId);
        if (clusterToken == null || clusterToken.isEmpty()) {
            throw new IllegalArgumentException("clusterToken is required: a random secret shared by all members");
        }
        requireHeaderSafe("clusterToken", clusterToken);
        if (clusterToken.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("clusterToken must be at least " + MIN_TOKEN_LENGTH
                    + " characters, got " + clusterToken.length());
        }
        if (maxMessageBytes < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be at least " + MIN_MESSAGE_BYTES + ", got "
                    + maxMessageBytes);
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be at least 1, got " + maxQueuedMessages);
        }
        if (maxQueuedBytes < maxMessageBytes) {
            throw new IllegalArgumentException("maxQueuedBytes (" + maxQueuedBytes + ") must be at least"
                    + " maxMessageBytes (" + maxMessageBytes + "), so that the largest message fits the queue");
        }
        if (maxInboundBytes < 1) {
            throw new IllegalArgumentException("maxInboundBytes must be positive (the bytes of peer messages waiting"
                    + " for the node's loop before the transport stops reading), got " + maxInboundBytes);
        }
        requirePositive("voteTimeout", voteTimeout);
        requirePositive("reconnectBackoffInitial", reconnectBackoffInitial);
        requirePositive("reconnectBackoffMax", reconnectBackoffMax);
        if (reconnectBackoffInitial.compareTo(reconnectBackoffMax) > 0) {
            throw new IllegalArgumentException("reconnectBackoffInitial (" + reconnectBackoffInitial
                    + ") must not exceed reconnectBackoffMax (" + reconnectBackoffMax + ")");
        }
    }

    public static Builder builder(String nodeId, String clusterToken) {
        return new Builder(nodeId, clusterToken);
    }

    public Builder toBuilder() {
        return new Builder(nodeId, clusterToken).bind(bindHost, port).clusterId(clusterId)
                .maxMessageBytes(maxMessageBytes).maxQueuedMessages(maxQueuedMessages).maxQueuedBytes(maxQueuedBytes)
                .maxInboundBytes(maxInboundBytes).voteTimeout(voteTimeout)
                .reconnectBackoff(reconnectBackoffInitial, reconnectBackoffMax).tls(tls);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "TransportConfig[nodeId=" + nodeId + ", bind=" + bindHost + ":" + port + ", clusterId=" + clusterId
                + ", clusterToken=<redacted>, maxMessageBytes=" + maxMessageBytes + ", maxQueuedMessages="
                + maxQueuedMessages + ", maxQueuedBytes=" + maxQueuedBytes + ", maxInboundBytes=" + maxInboundBytes
                + ", voteTimeout=" + voteTimeout
                + ", reconnectBackoff=" + reconnectBackoffInitial
                + ".." + reconnectBackoffMax + ", tls=" + (tls != null) + "]";
    }

    private static void requireHeaderSafe(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(name + " must be printable ASCII without spaces (it is sent as"
                        + " gRPC metadata); invalid character at position " + i);
            }
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    /**
     * Defaults: bind 0.0.0.0:0, cluster id "raftx", 16 MiB messages, 1024 messages and 64 MiB queued per peer,
     * 64 MiB inbound waiting for the loop, 1 s votes, backoff 50 ms..1 s.
     */
    public static final class Builder {
        private final String nodeId;
        private final String clusterToken;
        private String bindHost = "0.0.0.0";
        private int port;
        private String clusterId = DEFAULT_CLUSTER_ID;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private long maxInboundBytes = DEFAULT_MAX_INBOUND_BYTES;
        private Duration voteTimeout = Duration.ofSeconds(1);
        private Duration reconnectBackoffInitial = Duration.ofMillis(50);
        private Duration reconnectBackoffMax = Duration.ofSeconds(1);
        private TransportTlsConfig tls;

        private Builder(String nodeId, String clusterToken) {
            this.nodeId = nodeId;
            this.clusterToken = clusterToken;
        }

        public Builder bind(String host, int port) {
            this.bindHost = host;
            this.port = port;
            return this;
        }

        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        public Builder maxQueuedMessages(int maxQueuedMessages) {
            this.maxQueuedMessages = maxQueuedMessages;
            return this;
        }

        public Builder maxQueuedBytes(long maxQueuedBytes) {
            this.maxQueuedBytes = maxQueuedBytes;
            return this;
        }

        public Builder maxInboundBytes(long maxInboundBytes) {
            this.maxInboundBytes = maxInboundBytes;
            return this;
        }

        public Builder voteTimeout(Duration voteTimeout) {
            this.voteTimeout = voteTimeout;
            return this;
        }

        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectBackoffInitial = initial;
            this.reconnectBackoffMax = max;
            return this;
        }

        public Builder tls(TransportTlsConfig tls) {
            this.tls = tls;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(nodeId, bindHost, port, clusterId, clusterToken, maxMessageBytes,
                    maxQueuedMessages, maxQueuedBytes, maxInboundBytes, voteTimeout, reconnectBackoffInitial,
                    reconnectBackoffMax, tls);
        }
    }
}
