package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.snapshot.SnapshotStats;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up from snapshots on real files (MVStore log, snapshot files), including what a crash can leave behind. */
class SnapshotRecoveryTest {

    @TempDir
    Path dir;
    private List<String> written;
    private SnapshotMeta latest;

    private RaftNode node(MvStoreRaftStorage storage, LogMachine machine) {
        NodeConfig config = NodeConfig.of("n1", List.of("n1")).withTick(Duration.ofMillis(10))
                .withSnapshots(new SnapshotSettings(10, 3, 4096));
        return new RaftNode(config, storage, FileSnapshotStore.open(snapshots()), new LocalTransport.Hub().join("n1"),
                machine);
    }

    private Path snapshots() {
        return dir.resolve("snapshots");
    }

    private MvStoreRaftStorage storage() {
        return MvStoreRaftStorage.open(dir.resolve("raft.mv"));
    }

    /** Runs a single node until it took a few snapshots, and stops it. */
    @BeforeEach
    void runANodeThatSnapshots() throws Exception {
        LogMachine machine = new LogMachine();
        RaftNode node = node(storage(), machine);
        node.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
        for (int round = 0; round < 3; round++) {
            proposeAll(node, round * 15, 15);
        }
        latest = node.snapshot().get(5, TimeUnit.SECONDS);
        proposeAll(node, 45, 5); // a log suffix after the snapshot, below the threshold: replayed on restart
        SnapshotStats stats = node.snapshotStats().get(5, TimeUnit.SECONDS);
        assertThat(stats.taken()).isGreaterThanOrEqualTo(2);
        assertThat(stats.latest()).isEqualTo(latest);
        written = machine.copy();
        node.close();
    }

    private static void proposeAll(RaftNode node, int from, int count) throws Exception {
        List<CompletableFuture<Applied>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            futures.add(node.propose(("c" + i).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void restartsFromTheSnapshotThenReplaysTheLogAfterIt() throws Exception {
        LogMachine machine = new LogMachine();
        RaftNode node = node(storage(), machine);
        node.start();
        try {
            assertThat(machine.restores).isEqualTo(1);
            assertThat(machine.copy()).hasSizeLessThan(written.size()); // the rest comes from the log
            await().atMost(Duration.ofSeconds(10)).until(() -> machine.copy().size() == written.size());
            assertThat(machine.copy()).isEqualTo(written);
            assertThat(node.snapshotStats().get(5, TimeUnit.SECONDS).latest()).isEqualTo(latest);
        } finally {
            node.close();
        }
    }

    @Test
    void aSnapshotFileACrashLeftUnrecordedIsIgnoredAndRemoved() throws Exception {
        // As if the node crashed after writing a newer snapshot file but before its log storage recorded it.
        SnapshotMeta unrecorded = new SnapshotMeta(latest.index() + 100, latest.term(), latest.membership());
        Path orphan = FileSnapshotStore.open(snapshots())
                .save(unrecorded, out -> out.write(new byte[] {1, 2, 3})).file();
        LogMachine machine = new LogMachine();
        RaftNode node = node(storage(), machine);
        node.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> machine.copy().size() == written.size());
            assertThat(machine.copy()).isEqualTo(written);
            assertThat(orphan).doesNotExist();
        } finally {
            node.close();
        }
    }

    @Test
    void aMissingSnapshotFileStopsTheStartWithAClearError() throws Exception {
        try (Stream<Path> files = Files.list(snapshots())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".snap")).toList()) {
                Files.delete(p);
            }
        }
        MvStoreRaftStorage storage = storage();
        try {
            assertThatThrownBy(() -> node(storage, new LogMachine()).start())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("records snapshot " + latest.index() + "@" + latest.term())
                    .hasMessageContaining("has no file for it");
        } finally {
            storage.close();
        }
    }

    @Test
    void aDamagedSnapshotFileStopsTheStartWithAClearError() throws Exception {
        Path file;
        try (Stream<Path> files = Files.list(snapshots())) {
            file = files.filter(p -> p.toString().endsWith(".snap")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF}), 100);
        }
        MvStoreRaftStorage storage = storage();
        try {
            assertThatThrownBy(() -> node(storage, new LogMachine()).start())
                    .isInstanceOf(StorageException.class).hasMessageContaining(file.toString());
        } finally {
            storage.close();
        }
    }
}
