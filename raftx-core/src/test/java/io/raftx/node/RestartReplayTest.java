package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Ready;
import io.raftx.raft.Role;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.storage.MvStoreRaftStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted node applies its log again in chunks of {@link Ready#MAX_COMMITTED_ENTRIES}, one loop pass each (its
 * inputs in between): every command once, in order, and nothing left behind after the last chunk.
 */
class RestartReplayTest {

    @TempDir
    Path dir;

    private RaftNode node(LogMachine machine) {
        NodeConfig config = NodeConfig.of("n1", List.of("n1")).withTick(Duration.ofMillis(10))
                .withSnapshots(new SnapshotSettings(1_000_000, 0, 4096)); // no snapshot: the whole log is replayed
        return new RaftNode(config, MvStoreRaftStorage.open(dir.resolve("raft.mv")),
                FileSnapshotStore.open(dir.resolve("snapshots")), new LocalTransport.Hub().join("n1"), machine);
    }

    @Test
    void aLogOfSeveralChunksIsAppliedAgainInFullAndInOrder() throws Exception {
        int commands = 2 * Ready.MAX_COMMITTED_ENTRIES + 300;
        LogMachine first = new LogMachine();
        RaftNode node = node(first);
        node.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
            List<CompletableFuture<Applied>> futures = new ArrayList<>();
            for (int i = 0; i < commands; i++) {
                futures.add(node.propose(("c" + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
        List<String> written = first.copy();
        assertThat(written).hasSize(commands);

        LogMachine replayed = new LogMachine();
        RaftNode restarted = node(replayed);
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> replayed.copy().size() >= commands);
            assertThat(replayed.copy()).isEqualTo(written);
            await().atMost(Duration.ofSeconds(10)).until(() -> restarted.status().role() == Role.LEADER);
            assertThat(restarted.propose("after".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS))
                    .isNotNull();
            assertThat(replayed.copy()).hasSize(commands + 1).endsWith("after");
        } finally {
            restarted.close();
        }
    }
}
