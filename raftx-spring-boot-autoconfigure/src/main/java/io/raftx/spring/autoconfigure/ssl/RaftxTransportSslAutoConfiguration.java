package io.raftx.spring.autoconfigure.ssl;

import io.raftx.node.RaftNode;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.RaftxNodeSettings;
import io.raftx.spring.autoconfigure.RaftxTransportCustomizer;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/** Peer TLS from the SSL bundle named by {@code raftx.transport.ssl.bundle}, reloaded when the bundle is. */
@AutoConfiguration(before = RaftxAutoConfiguration.class, after = SslAutoConfiguration.class)
@ConditionalOnClass(RaftNode.class)
@ConditionalOnProperty("raftx.transport.ssl.bundle")
@EnableConfigurationProperties(RaftxTransportSslProperties.class)
public final class RaftxTransportSslAutoConfiguration {

    static final String PROPERTY = "raftx.transport.ssl.bundle";

    @Bean
    SslBundleTransportTls raftxSslBundleTransportTls(RaftxTransportSslProperties properties, SslBundles bundles,
                                                     RaftxNodeSettings settings) {
        String name = properties.getBundle();
        if (settings.transportConfig().tls() != null) {
            throw new InvalidRaftxPropertyException(PROPERTY, name, "the PEM keys raftx.transport.tls.* are set"
                    + " too; configure TLS with the bundle or with the PEM keys, not both");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new InvalidRaftxPropertyException(PROPERTY, name, "there is no SSL bundle of that name; define"
                    + " it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name);
        }
        SslBundleTransportTls tls;
        try {
            tls = new SslBundleTransportTls(name, bundle);
        } catch (IllegalArgumentException e) {
            throw new InvalidRaftxPropertyException(PROPERTY, name, e.getMessage());
        }
        bundles.addBundleUpdateHandler(name, tls::reload);
        return tls;
    }

    @Bean
    RaftxTransportCustomizer raftxSslBundleTransportCustomizer(SslBundleTransportTls tls) {
        return builder -> builder.tls(tls.tlsConfig());
    }
}
