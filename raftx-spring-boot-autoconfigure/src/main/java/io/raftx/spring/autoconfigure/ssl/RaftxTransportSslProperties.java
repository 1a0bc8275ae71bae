package io.raftx.spring.autoconfigure.ssl;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code raftx.transport.ssl.*}: peer TLS from a Spring Boot SSL bundle. */
@ConfigurationProperties("raftx.transport.ssl")
public class RaftxTransportSslProperties {

    /**
     * Name of the SSL bundle ({@code spring.ssl.bundle.pem.<name>} or {@code spring.ssl.bundle.jks.<name>}) with
     * this node's certificate and key and the certificates peers must chain to. Mutual TLS, like the PEM keys
     * {@code raftx.transport.tls.*}, which must then be unset. With {@code reload-on-update: true} on the bundle,
     * changed files take effect on the next peer connection, without a restart.
     */
    private String bundle;

    public String getBundle() {
        return bundle;
    }

    public void setBundle(String bundle) {
        this.bundle = bundle;
    }
}
