package io.raftx.etcd;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.raftx.transport.TransportTlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may use the etcd API: TLS on the client port from the peers' TLS material, and the credentials clients prove.
 * A client is authenticated by a certificate that chains to the peers' trusted certificates (etcd's
 * {@code --client-cert-auth}; TLS only) or by a token from {@code Auth/Authenticate} with the configured user and
 * password. Without credentials, TLS requires a client certificate; with neither TLS nor credentials every client is
 * accepted, which is allowed only while the peers and the client port are all on loopback.
 *
 * @param tls         TLS for the client port (the peers' {@link TransportTlsConfig}), or null for plaintext
 * @param credentials the user and password clients authenticate with, or null
 */
public record EtcdClientSecurity(TransportTlsConfig tls, EtcdCredentials credentials) {

    /** Plaintext, no authentication: only where nothing but local processes reach the node. */
    public static final EtcdClientSecurity LOOPBACK_ONLY = new EtcdClientSecurity(null, null);

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    /** Whether a client must prove who it is (certificate or token). */
    boolean authenticates() {
        return tls != null || credentials != null;
    }

    /**
     * Refuses to serve an open API when anything beyond this host can reach the cluster: peers (or this client port)
     * on a non-loopback address need credentials or TLS, and the message says how to configure them.
     */
    public void requireAuthenticationUnlessLoopback(String clientAddress, Collection<String> peerAddresses,
                                             String howToConfigure) {
        if (authenticates()) {
            return;
        }
        List<String> exposed = new java.util.ArrayList<>(peerAddresses.stream()
                .filter(a -> !isLoopback(EtcdAddress.host(a))).distinct().toList());
        if (!isLoopback(EtcdAddress.host(clientAddress))) {
            exposed.add(clientAddress + " (the etcd API itself)");
        }
        if (!exposed.isEmpty()) {
            throw new IllegalStateException("the etcd API on " + clientAddress + " would accept clients without"
                    + " credentials, but the cluster is reachable beyond this host (" + String.join(", ", exposed)
                    + "): " + howToConfigure);
        }
    }

    /**
     * Loopback addresses are told from their text; another name counts as loopback when every address it resolves
     * to is one (the node resolves its peers' names to reach them anyway). A name that does not resolve does not.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || IPV4_LOOPBACK.matcher(h).matches()) {
            return true;
        }
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            return all.length > 0 && java.util.Arrays.stream(all).allMatch(java.net.InetAddress::isLoopbackAddress);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * The client port's credentials: plaintext, or TLS that asks for a client certificate (required when there is
     * no password to authenticate with instead) and verifies it against the peers' trusted certificates.
     */
    ServerCredentials serverCredentials() {
        if (tls == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.ClientAuth clientAuth = credentials == null ? TlsServerCredentials.ClientAuth.REQUIRE
                : TlsServerCredentials.ClientAuth.OPTIONAL;
        try {
            TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().clientAuth(clientAuth);
            if (tls.keyManager() != null) {
                return b.keyManager(tls.keyManager()).trustManager(tls.trustManager()).build();
            }
            return b.keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
                    .trustManager(tls.trustCerts().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the etcd API's TLS material (certChain " + tls.certChain()
                    + ", privateKey " + tls.privateKey() + ", trustCerts " + tls.trustCerts() + "): " + e.getMessage(), e);
        }
    }
}
