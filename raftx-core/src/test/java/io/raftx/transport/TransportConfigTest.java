package io.raftx.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportConfigTest {

    private static final String TOKEN = "0123456789abcdef";

    @Test
    void defaults() {
        TransportConfig c = TransportConfig.builder("n1", TOKEN).build();
        assertThat(c.bindHost()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isZero();
        assertThat(c.clusterId()).isEqualTo("raftx");
        assertThat(c.maxMessageBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.maxQueuedMessages()).isEqualTo(1024);
        assertThat(c.maxInboundBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.toBuilder().maxInboundBytes(5).build().toBuilder().build().maxInboundBytes()).isEqualTo(5);
        assertThat(c.voteTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconnectBackoffInitial()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tls()).isNull();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void tokenIsNeverPrinted() {
        assertThat(TransportConfig.builder("n1", TOKEN).build().toString())
                .doesNotContain(TOKEN).contains("clusterToken=<redacted>");
    }

    @Test
    void invalidSettingsAreNamed() {
        invalid(b -> TransportConfig.builder(" ", TOKEN), "nodeId is required");
        invalid(b -> TransportConfig.builder("n1", null), "clusterToken is required");
        invalid(b -> TransportConfig.builder("n1", "short-token"), "clusterToken must be at least 16 characters, got 11");
        invalid(b -> TransportConfig.builder("n1", "0123456789abcdef\u00e9"), "clusterToken must be printable ASCII");
        invalid(b -> TransportConfig.builder("n1", "0123456789 abcdef"), "clusterToken must be printable ASCII");
        invalid(b -> b.bind("", 1), "bindHost is required");
        invalid(b -> b.bind("127.0.0.1", 70000), "port must be 0..65535");
        invalid(b -> b.clusterId("my cluster"), "clusterId must be printable ASCII");
        invalid(b -> b.clusterId(null), "clusterId is required");
        invalid(b -> b.maxMessageBytes(100), "maxMessageBytes must be at least 4096, got 100");
        invalid(b -> b.maxQueuedMessages(0), "maxQueuedMessages must be at least 1");
        invalid(b -> b.maxMessageBytes(8192).maxQueuedBytes(8191),
                "maxQueuedBytes (8191) must be at least maxMessageBytes (8192)");
        invalid(b -> b.maxInboundBytes(0), "maxInboundBytes must be positive");
        invalid(b -> b.voteTimeout(Duration.ZERO), "voteTimeout must be a positive duration");
        invalid(b -> b.reconnectBackoff(null, Duration.ofSeconds(1)), "reconnectBackoffInitial must be a positive");
        invalid(b -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
                "reconnectBackoffInitial (PT2S) must not exceed reconnectBackoffMax (PT1S)");
    }

    @Test
    void tlsFilesMustExist(@TempDir Path dir) throws IOException {
        Path present = Files.writeString(dir.resolve("x.pem"), "x");
        assertThatThrownBy(() -> new TransportTlsConfig(dir.resolve("missing.pem"), present, present))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS certChain file not found: ").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> new TransportTlsConfig(present, null, present))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("TLS privateKey file is required");
        TransportTlsConfig garbage = new TransportTlsConfig(present, present, present);
        assertThatThrownBy(() -> new GrpcTransport(TransportConfig.builder("n1", TOKEN).tls(garbage).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot load TLS material");
    }

    private static void invalid(UnaryOperator<TransportConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(TransportConfig.builder("n1", TOKEN)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
