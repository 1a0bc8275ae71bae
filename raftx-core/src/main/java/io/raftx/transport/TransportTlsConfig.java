package io.raftx.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Mutual TLS between members. Every node presents {@code certChain} (PEM, leaf first) with {@code privateKey}
 * (PEM, unencrypted PKCS#8) and accepts only peers whose certificate chains up to one of {@code trustCerts} (PEM
 * bundle). Servers require a client certificate. Clients verify the server certificate against the host in the peer's
 * address, so certificates need a matching subjectAltName (DNS name or IP).
 *
 * <p>Instead of files, the key and trust material may be given as managers ({@link #ofManagers}); managers that
 * change what they return (reloaded certificates) take effect on the next TLS handshake.
 */
public record TransportTlsConfig(Path certChain, Path privateKey, Path trustCerts, KeyManager keyManager,
                                 TrustManager trustManager) {

    public TransportTlsConfig {
        if (keyManager == null && trustManager == null) {
            requireReadable("certChain", certChain);
            requireReadable("privateKey", privateKey);
            requireReadable("trustCerts", trustCerts);
        } else if (keyManager == null || trustManager == null || certChain != null || privateKey != null
                || trustCerts != null) {
            throw new IllegalArgumentException("TLS needs either the three PEM files or a key manager and a trust"
                    + " manager");
        }
    }

    public TransportTlsConfig(Path certChain, Path privateKey, Path trustCerts) {
        this(certChain, privateKey, trustCerts, null, null);
    }

    /** TLS from key and trust managers (e.g. from a Spring Boot SSL bundle). */
    public static TransportTlsConfig ofManagers(KeyManager keyManager, TrustManager trustManager) {
        return new TransportTlsConfig(null, null, null, keyManager, trustManager);
    }

    private static void requireReadable(String name, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("TLS " + name + " file is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TLS " + name + " file not found: " + file.toAbsolutePath());
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + name + " file is not readable: " + file.toAbsolutePath());
        }
    }
}
