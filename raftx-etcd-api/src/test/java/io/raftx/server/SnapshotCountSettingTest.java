package io.raftx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.node.GrpcPorts;
import io.raftx.snapshot.SnapshotPolicy;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's {@code --snapshot-count}: read, passed to the node, and bad values refused by name. */
class SnapshotCountSettingTest {

    private static final String TOKEN = "snapshot-count-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void theCommandLineValueReachesTheNodeAndDefaultsTo100000() throws Exception {
        String address = "127.0.0.1:" + GrpcPorts.free();
        String[] base = {"--id=n1", "--address=" + address, "--data-dir=" + dir.resolve("n1"),
                "--members=n1=" + address, "--token=" + TOKEN};
        assertThat(NodeMain.settings(base).snapshotCount()).isEqualTo(100_000);
        String[] withCount = java.util.Arrays.copyOf(base, base.length + 1);
        withCount[base.length] = "--snapshot-count=500";
        ServerSettings given = NodeMain.settings(withCount);
        assertThat(given.snapshotCount()).isEqualTo(500);
        try (RaftxServer server = new RaftxServer(given).start()) {
            assertThat(server.node().snapshotStats().get(10, TimeUnit.SECONDS).threshold())
                    .as("the count plus this node's stagger").isEqualTo(SnapshotPolicy.staggered(500, "n1"))
                    .isBetween(500L, 562L);
        }
    }

    @Test
    void aNonPositiveCountIsRefusedByName() {
        String address = "127.0.0.1:" + GrpcPorts.free();
        assertThatThrownBy(() -> new ServerSettings("n1", address, null, dir.resolve("n1"),
                java.util.Map.of("n1", address), TOKEN, java.time.Duration.ofMillis(50), "raftx", null, null,
                1 << 20, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--snapshot-count")
                .hasMessageContaining("got 0");
    }
}
