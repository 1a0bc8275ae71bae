package io.raftx.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.raftx.transport.proto.RaftPeerGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Admits a call only if it carries this cluster's token and id, and if its connection may speak for the node id the
 * call names ({@link PeerConnection}: the TLS certificate names it, or the connection proved it). Runs before every
 * RPC of the peer service; the node id it admits is the call's {@link #PEER}, which every message of the call must
 * come from. The token is compared in constant time (over SHA-256 digests, so the length is not revealed either).
 */
final class ClusterAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> TOKEN_HEADER =
            Metadata.Key.of("raftx-cluster-token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CLUSTER_ID_HEADER =
            Metadata.Key.of("raftx-cluster-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The node id the caller speaks for (UTF-8); admitted only if its connection proved it. */
    static final Metadata.Key<byte[]> NODE_ID_HEADER =
            Metadata.Key.of("raftx-node-id-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final Context.Key<String> REMOTE = Context.key("raftx-remote");
    /** The caller's host, without port: what identity refusals are logged once for, with the node id. */
    static final Context.Key<String> REMOTE_HOST = Context.key("raftx-remote-host");
    /** The node id the call's connection proved; every message of the call must be from it. */
    static final Context.Key<String> PEER = Context.key("raftx-peer");
    /** The call's connection (for the Challenge call). */
    static final Context.Key<PeerConnection> CONNECTION = Context.key("raftx-connection");
    private static final String CHALLENGE_METHOD = RaftPeerGrpc.getChallengeMethod().getFullMethodName();

    private static final Logger log = LoggerFactory.getLogger(ClusterAuthInterceptor.class);

    private final String nodeId;
    private final String clusterId;
    private final byte[] tokenDigest;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;
    private final PeerProof proofs;
    private final IdentityRefusals identityRefusals;

    ClusterAuthInterceptor(String nodeId, String clusterId, String token, TransportMetrics metrics,
                           LogLimiter logLimiter, IdentityRefusals identityRefusals) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.tokenDigest = digest(token);
        this.metrics = metrics;
        this.logLimiter = logLimiter;
        this.proofs = new PeerProof(token, clusterId);
        this.identityRefusals = identityRefusals;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        SocketAddress remoteAddr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        byte[] callerBytes = headers.get(NODE_ID_HEADER);
        String caller = callerBytes == null ? null : new String(callerBytes, StandardCharsets.UTF_8);
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
        PeerConnection connection = call.getAttributes().get(PeerConnection.KEY);
        if (connection == null) {
            return reject(call, remote, Status.INTERNAL.withDescription("no connection state (server misconfigured)"));
        }
        if (call.getMethodDescriptor().getFullMethodName().equals(CHALLENGE_METHOD)) {
            return Contexts.interceptCall(Context.current().withValues(REMOTE, remote, CONNECTION, connection), call,
                    headers, next);
        }
        byte[] proof = headers.get(PeerProof.PROOF_HEADER);
        PeerConnection.Refusal refusal = connection.admit(caller, proof, proofs);
        if (refusal != null) {
            metrics.inboundRejected.increment();
            if (connection.isTls() || proof != null) {
                identityRefusals.refused(caller, hostOf(remoteAddr),
                        call.getMethodDescriptor().getBareMethodName(), refusal.code(), refusal.reason());
            } else {
                // A call that raced its connection's challenge (the caller answers it and calls again).
                log.debug("node {}: refused {} from {}: {}", nodeId, call.getMethodDescriptor().getBareMethodName(),
                        remote, refusal.reason());
            }
            Metadata trailers = new Metadata();
            if (refusal.code() == Status.Code.UNAUTHENTICATED && !connection.isTls()) {
                trailers.put(PeerProof.CHALLENGE_TRAILER, connection.nonce());
            }
            call.close(Status.fromCode(refusal.code()).withDescription(refusal.reason()), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValues(REMOTE, remote, REMOTE_HOST, hostOf(remoteAddr),
                PEER, caller), call, headers, next);
    }

    private static String hostOf(SocketAddress address) {
        return address instanceof java.net.InetSocketAddress inet ? inet.getHostString()
                : String.valueOf(address);
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
