package io.raftx.transport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutual TLS between members. Every node presents {@code certChain} (PEM, leaf first) with {@code privateKey}
 * (PEM, unencrypted PKCS#8) and accepts only peers whose certificate chains up to one of {@code trustCerts} (PEM
 * bundle). Servers require a client certificate. Clients verify the server certificate against the host in the peer's
 * address, so certificates need a matching subjectAltName (DNS name or IP).
 */
public record TransportTlsConfig(Path certChain, Path privateKey, Path trustCerts) {

    public TransportTlsConfig {
        requireReadable("certChain", certChain);
        requireReadable("privateKey", privateKey);
        requireReadable("trustCerts", trustCerts);
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
