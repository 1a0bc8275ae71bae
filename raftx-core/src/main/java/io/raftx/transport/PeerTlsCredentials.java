package io.raftx.transport;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;

/**
 * The gRPC credentials of mutual TLS between members, built from a {@link TransportTlsConfig}. Together with that
 * record, the only place where the transport reads files: the PEM key and certificates the configuration names.
 *
 * @param channel what this node presents and trusts when it calls a peer
 * @param server  what this node presents and trusts when a peer calls it (client certificates required)
 */
record PeerTlsCredentials(ChannelCredentials channel, ServerCredentials server) {

    /** Plaintext between members: no credentials. */
    static final PeerTlsCredentials PLAINTEXT = new PeerTlsCredentials(null, null);

    /**
     * The credentials for {@code tls}, or {@link #PLAINTEXT} when it is null.
     *
     * @throws IllegalArgumentException if the PEM files cannot be parsed; the message names the three files
     */
    static PeerTlsCredentials of(TransportTlsConfig tls) {
        if (tls == null) {
            return PLAINTEXT;
        }
        if (tls.keyManager() != null) {
            return new PeerTlsCredentials(
                    TlsChannelCredentials.newBuilder().keyManager(tls.keyManager())
                            .trustManager(tls.trustManager()).build(),
                    TlsServerCredentials.newBuilder().keyManager(tls.keyManager())
                            .trustManager(tls.trustManager()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                            .build());
        }
        try {
            // gRPC parses the PEM files only when a connection is made; parse them now to fail fast.
            SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile())
                    .trustManager(tls.trustCerts().toFile())
                    .build();
            return new PeerTlsCredentials(
                    TlsChannelCredentials.newBuilder()
                            .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
                            .trustManager(tls.trustCerts().toFile())
                            .build(),
                    TlsServerCredentials.newBuilder()
                            .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
                            .trustManager(tls.trustCerts().toFile())
                            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                            .build());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load TLS material (certChain " + tls.certChain()
                    + ", privateKey " + tls.privateKey() + ", trustCerts " + tls.trustCerts() + "): " + e, e);
        }
    }
}
