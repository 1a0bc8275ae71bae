package io.raftx.transport;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who may speak on one accepted connection. With TLS: the node ids the client certificate names in URI SANs
 * {@value #SAN_PREFIX}{@code <id>}, read once when the connection is ready. Without TLS: a random challenge nonce,
 * and the node id the first valid {@link PeerProof} bound the connection to. Made by {@link #FILTER} and kept in the
 * transport's attributes, so every call on the connection sees the same instance and the proof is checked once.
 */
final class PeerConnection {

    static final String SAN_PREFIX = "raftx://node/";
    static final Attributes.Key<PeerConnection> KEY = Attributes.Key.create("raftx-peer-connection");
    private static final int URI_SAN = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Attaches a new {@link PeerConnection} to every connection the server accepts. */
    static final ServerTransportFilter FILTER = new ServerTransportFilter() {
        @Override
        public Attributes transportReady(Attributes attributes) {
            SSLSession tls = attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            return attributes.toBuilder().set(KEY, tls == null ? plaintext() : new PeerConnection(null,
                    certificateNodeIds(tls))).build();
        }
    };

    /** Refusal: the status code to answer with and why. */
    record Refusal(io.grpc.Status.Code code, String reason) {
    }

    private final byte[] nonce;
    private final Set<String> certificateIds;
    private volatile String provenId;

    private PeerConnection(byte[] nonce, Set<String> certificateIds) {
        this.nonce = nonce;
        this.certificateIds = certificateIds;
    }

    static PeerConnection plaintext() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return new PeerConnection(nonce, null);
    }

    /** The challenge nonce (empty with TLS). */
    byte[] nonce() {
        return nonce == null ? new byte[0] : nonce.clone();
    }

    boolean isTls() {
        return certificateIds != null;
    }

    /**
     * Whether a call may speak as {@code claimed}; null if it may. Without TLS, the first call with a valid proof
     * binds the connection to its node id; later calls only compare ids.
     */
    Refusal admit(String claimed, byte[] proof, PeerProof proofs) {
        if (claimed == null || claimed.isEmpty()) {
            return new Refusal(io.grpc.Status.Code.UNAUTHENTICATED, "the call does not name its node id (metadata '"
                    + ClusterAuthInterceptor.NODE_ID_HEADER.name() + "')");
        }
        if (certificateIds != null) {
            return certificateIds.contains(claimed) ? null : new Refusal(io.grpc.Status.Code.PERMISSION_DENIED,
                    "the peer claims node id '" + claimed + "' but its TLS certificate names "
                    + (certificateIds.isEmpty() ? "no node (it needs a URI SAN " + SAN_PREFIX + claimed + ")"
                    : certificateIds.stream().map(id -> SAN_PREFIX + id).toList()));
        }
        String proven = provenId;
        if (proven == null) {
            synchronized (this) {
                if (provenId == null && proofs.verify(claimed, nonce, proof)) {
                    provenId = claimed;
                }
                proven = provenId;
            }
            if (proven == null) {
                return new Refusal(io.grpc.Status.Code.UNAUTHENTICATED, proof == null
                        ? "this connection has not proved its node id: answer its challenge (Challenge call) with"
                        + " '" + PeerProof.PROOF_HEADER.name() + "'"
                        : "the node id proof for '" + claimed + "' does not answer this connection's challenge"
                        + " (replayed from another connection, or made with another cluster token or id)");
            }
        }
        return proven.equals(claimed) ? null : new Refusal(io.grpc.Status.Code.PERMISSION_DENIED,
                "this connection proved it is node '" + proven + "'; it cannot speak as '" + claimed + "'");
    }

    /** Node ids in the leaf certificate's URI SANs {@value #SAN_PREFIX}{@code <id>} (empty if none). */
    static Set<String> certificateNodeIds(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? nodeIds(leaf) : Set.of();
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
    }

    static Set<String> nodeIds(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        Set<String> ids = new TreeSet<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() == 2 && Integer.valueOf(URI_SAN).equals(name.get(0))
                        && name.get(1) instanceof String uri && uri.startsWith(SAN_PREFIX)
                        && uri.length() > SAN_PREFIX.length()) {
                    ids.add(uri.substring(SAN_PREFIX.length()));
                }
            }
        }
        return java.util.Collections.unmodifiableSet(ids);
    }
}
