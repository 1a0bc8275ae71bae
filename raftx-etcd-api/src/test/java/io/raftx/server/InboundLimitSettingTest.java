package io.raftx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.node.GrpcPorts;
import io.raftx.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's {@code --max-inbound-bytes}: read, passed to the transport, and bad values refused. */
class InboundLimitSettingTest {

    private static final String TOKEN = "inbound-test-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theCommandLineValueReachesTheTransportAndDefaultsTo64MiB() {
        String address = "127.0.0.1:" + GrpcPorts.free();
        ServerSettings given = NodeMain.settings(args(address, "--max-inbound-bytes=1048576"));
        assertThat(given.maxInboundBytes()).isEqualTo(1_048_576);
        try (RaftxServer server = new RaftxServer(given)) {
            assertThat(server.transport().config().maxInboundBytes()).isEqualTo(1_048_576);
        }
        assertThat(NodeMain.settings(args(address)).maxInboundBytes())
                .isEqualTo(TransportConfig.DEFAULT_MAX_INBOUND_BYTES).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void aNonPositiveBoundIsRefusedByNameInSettingsAndOnTheCommandLine() throws Exception {
        String address = "127.0.0.1:" + GrpcPorts.free();
        ServerSettings ok = NodeMain.settings(args(address));
        assertThatThrownBy(() -> new ServerSettings(ok.nodeId(), ok.peerAddress(), null, ok.dataDir(), ok.members(),
                ok.clusterToken(), ok.tick(), ok.clusterId(), null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--max-inbound-bytes")
                .hasMessageContaining("got 0");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), "--id=n1", "--address=" + address, "--data-dir=" + dir.resolve("n1"),
                "--members=n1=" + address, "--token=" + TOKEN, "--max-inbound-bytes=-5")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(NodeMain.EXIT_USAGE);
        assertThat(output).contains("--max-inbound-bytes must be at least 1 byte, got -5").doesNotContain("READY");
    }

    private String[] args(String address, String... more) {
        String[] base = {"--id=n1", "--address=" + address, "--data-dir=" + dir.resolve("n1"),
                "--members=n1=" + address, "--token=" + TOKEN};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
