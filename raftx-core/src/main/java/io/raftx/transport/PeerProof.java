package io.raftx.transport;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof a plaintext connection gives of the node id it speaks for: HMAC-SHA256 keyed with the cluster token over
 * a fixed label, the cluster id, the node id and the connection's challenge nonce (see {@code Challenge} in
 * peer.proto). The nonce is made by the receiving node for each accepted connection, so a proof seen on one
 * connection is worthless on another.
 */
final class PeerProof {

    static final Metadata.Key<byte[]> PROOF_HEADER =
            Metadata.Key.of("raftx-node-proof-bin", Metadata.BINARY_BYTE_MARSHALLER);
    /** Sent with an UNAUTHENTICATED refusal: the connection's nonce, so the caller can prove itself at once. */
    static final Metadata.Key<byte[]> CHALLENGE_TRAILER =
            Metadata.Key.of("raftx-challenge-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private static final byte[] LABEL = "raftx-peer-proof-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final byte[] clusterId;

    PeerProof(String clusterToken, String clusterId) {
        this.key = new SecretKeySpec(clusterToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clusterId = clusterId.getBytes(StandardCharsets.UTF_8);
    }

    byte[] compute(String nodeId, byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(LABEL);
            mac.update((byte) 0);
            mac.update(clusterId);
            mac.update((byte) 0);
            mac.update(nodeId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether a call failed because it came before its connection's challenge was answered (and may be repeated). */
    static boolean refusedUnproven(Throwable t) {
        Metadata trailers = io.grpc.Status.trailersFromThrowable(t);
        return io.grpc.Status.fromThrowable(t).getCode() == io.grpc.Status.Code.UNAUTHENTICATED && trailers != null
                && trailers.containsKey(CHALLENGE_TRAILER);
    }

    /** Constant-time check of a presented proof; false for null. */
    boolean verify(String nodeId, byte[] nonce, byte[] presented) {
        return presented != null && MessageDigest.isEqual(compute(nodeId, nonce), presented);
    }
}
