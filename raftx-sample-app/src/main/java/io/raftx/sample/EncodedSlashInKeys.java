package io.raftx.sample;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Keys may contain {@code /}, sent as {@code %2F} ({@code PUT /kv/a%2Fb}). Tomcat rejects encoded slashes by
 * default, with an HTML page before the application sees the request; passing them through lets the key path
 * variable decode to {@code a/b}.
 */
@Component
class EncodedSlashInKeys implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector ->
                connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }
}
