package io.raftx.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Admits a call only if it carries this cluster's token and id. Runs before every RPC of the peer service.
 * The token is compared in constant time (over SHA-256 digests, so the length is not revealed either).
 */
final class ClusterAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> TOKEN_HEADER =
            Metadata.Key.of("raftx-cluster-token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CLUSTER_ID_HEADER =
            Metadata.Key.of("raftx-cluster-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The caller's node id, informational (for logs); authorization uses the messages' {@code from}. */
    static final Metadata.Key<String> NODE_ID_HEADER =
            Metadata.Key.of("raftx-node-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> REMOTE = Context.key("raftx-remote");

    private static final Logger log = LoggerFactory.getLogger(ClusterAuthInterceptor.class);

    private final String nodeId;
    private final String clusterId;
    private final byte[] tokenDigest;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;

    ClusterAuthInterceptor(String nodeId, String clusterId, String token, TransportMetrics metrics,
                           LogLimiter logLimiter) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.tokenDigest = digest(token);
        this.metrics = metrics;
        this.logLimiter = logLimiter;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        SocketAddress remoteAddr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String caller = headers.get(NODE_ID_HEADER);
        String remote = (remoteAddr == null ? "?" : remoteAddr.toString())
                + (caller == null ? "" : " (says it is '" + caller + "')");
        String token = headers.get(TOKEN_HEADER);
        if (token == null) {
            return reject(call, remote, Status.UNAUTHENTICATED.withDescription(
                    "missing cluster token: peer calls must carry the '" + TOKEN_HEADER.name() + "' metadata"));
        }
        if (!MessageDigest.isEqual(digest(token), tokenDigest)) {
            return reject(call, remote, Status.UNAUTHENTICATED.withDescription(
                    "invalid cluster token in '" + TOKEN_HEADER.name() + "' metadata"));
        }
        String callerCluster = headers.get(CLUSTER_ID_HEADER);
        if (!clusterId.equals(callerCluster)) {
            return reject(call, remote, Status.PERMISSION_DENIED.withDescription("cluster id mismatch: node '"
                    + nodeId + "' belongs to cluster '" + clusterId + "', the caller sent "
                    + (callerCluster == null ? "none" : "'" + callerCluster + "'")));
        }
        Context ctx = Context.current().withValue(REMOTE, remote);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, String remote, Status status) {
        metrics.inboundRejected.increment();
        long suppressed = logLimiter.tryAcquire("auth:" + status.getCode() + ":" + remote);
        if (suppressed >= 0) {
            log.warn("node {}: refused {} from {}: {} {}{}", nodeId, call.getMethodDescriptor().getBareMethodName(),
                    remote, status.getCode(), status.getDescription(),
                    suppressed > 0 ? " (" + suppressed + " similar refusals not logged)" : "");
        }
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
