package io.raftx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.node.GrpcPorts;
import io.raftx.storage.DataDirIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standalone node refuses to start on another node's data directory, and the command line exits clearly. */
class DataDirOwnerTest {

    private static final String TOKEN = "owner-test-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aServerRefusesAnotherNodesDirectoryBeforeOpeningIt() {
        Path n2Dir = dir.resolve("n2");
        String n2 = "127.0.0.1:" + GrpcPorts.free();
        new RaftxServer(settings("n2", n2, n2Dir, Map.of("n2", n2))).close(); // n2's first start records it
        String n1 = "127.0.0.1:" + GrpcPorts.free();
        assertThatThrownBy(() -> new RaftxServer(settings("n1", n1, n2Dir, Map.of("n1", n1))))
                .isInstanceOf(DataDirIdentity.ForeignDataDirectoryException.class)
                .hasMessageContaining("node 'n2'").hasMessageContaining("node 'n1'");
        assertThat(DataDirIdentity.recorded(n2Dir).nodeId()).isEqualTo("n2");
    }

    @Test
    void theCommandLineExitsWithAMessageNamingBothNodes() throws Exception {
        Path n2Dir = dir.resolve("n2");
        DataDirIdentity.claim(n2Dir, "raftx", "n2");
        String address = "127.0.0.1:" + GrpcPorts.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), "--id=n1", "--address=" + address, "--data-dir=" + n2Dir,
                "--members=n1=" + address, "--token=" + TOKEN).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(NodeMain.EXIT_FOREIGN_DATA_DIR);
        assertThat(output).contains("node n1 cannot start").contains("node 'n2' of cluster 'raftx'")
                .doesNotContain("READY").doesNotContain("\tat ");
    }

    private static ServerSettings settings(String id, String address, Path dataDir, Map<String, String> members) {
        return new ServerSettings(id, address, null, dataDir, members, TOKEN, Duration.ofMillis(20));
    }
}
