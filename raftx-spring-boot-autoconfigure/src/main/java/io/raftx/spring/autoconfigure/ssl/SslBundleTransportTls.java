package io.raftx.spring.autoconfigure.ssl;

import io.raftx.transport.TransportTlsConfig;
import java.util.Arrays;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * The peer transport's TLS material from a Spring Boot SSL bundle. When Boot reloads the bundle (its files changed
 * and {@code reload-on-update} is set) the key and trust managers switch to the new material; the next handshake
 * uses it.
 */
public final class SslBundleTransportTls {

    private static final Logger log = LoggerFactory.getLogger(SslBundleTransportTls.class);

    private final String bundleName;
    private final ReloadableX509KeyManager keyManager;
    private final ReloadableX509TrustManager trustManager;

    public SslBundleTransportTls(String bundleName, SslBundle bundle) {
        this.bundleName = bundleName;
        this.keyManager = new ReloadableX509KeyManager(keyManager(bundle));
        this.trustManager = new ReloadableX509TrustManager(trustManager(bundle));
    }

    public TransportTlsConfig tlsConfig() {
        return TransportTlsConfig.ofManagers(keyManager, trustManager);
    }

    /** Boot's bundle update callback. A bundle that cannot be used is logged and the previous material kept. */
    public void reload(SslBundle bundle) {
        try {
            X509ExtendedKeyManager keys = keyManager(bundle);
            X509ExtendedTrustManager trust = trustManager(bundle);
            keyManager.reload(keys);
            trustManager.reload(trust);
            log.info("SSL bundle '{}' reloaded: the peer transport uses the new certificates from its next"
                    + " connection on", bundleName);
        } catch (RuntimeException e) {
            log.error("SSL bundle '{}' changed but cannot be used ({}); the peer transport keeps the previous"
                    + " certificates", bundleName, e.getMessage());
        }
    }

    private X509ExtendedKeyManager keyManager(SslBundle bundle) {
        return Arrays.stream(bundle.getManagers().getKeyManagers())
                .filter(X509ExtendedKeyManager.class::isInstance).map(X509ExtendedKeyManager.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("SSL bundle '" + bundleName
                        + "' has no X.509 key (the node's certificate and private key are required)"));
    }

    private X509ExtendedTrustManager trustManager(SslBundle bundle) {
        return Arrays.stream(bundle.getManagers().getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("SSL bundle '" + bundleName
                        + "' has no X.509 trust material (the certificates peers must chain to are required)"));
    }
}
