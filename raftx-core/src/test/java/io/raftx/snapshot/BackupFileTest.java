package io.raftx.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.raft.Membership;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.DataDirIdentity;
import io.raftx.storage.DataDirLayout;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.raft.RestoredState;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup file format and restoring from it, including every bad input the restore must refuse unchanged. */
class BackupFileTest {

    private static final Map<String, String> NEW_MEMBERS = Map.of("a", "127.0.0.1:7201", "b", "127.0.0.1:7202",
            "c", "127.0.0.1:7203");
    private static final byte[] PAYLOAD = "payload: the state machine's bytes".repeat(1000)
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private StoredSnapshot snapshot;
    private Path backup;

    @BeforeEach
    void backUpASnapshot() throws IOException {
        SnapshotMeta meta = new SnapshotMeta(42, 7, Membership.ofVoters(Map.of("n1", "127.0.0.1:7101",
                "n2", "127.0.0.1:7102", "n3", "127.0.0.1:7103")));
        snapshot = FileSnapshotStore.open(dir.resolve("store")).save(meta, out -> out.write(PAYLOAD));
        backup = dir.resolve("cluster.backup");
        BackupFile written = BackupFile.write(snapshot, "old-cluster", "n2", backup);
        assertThat(written.snapshot()).isEqualTo(meta);
        assertThat(written.size()).isEqualTo(Files.size(backup));
    }

    @Test
    void aBackupReadsBackWithItsClusterNodeSnapshotAndPayload() throws IOException {
        try (BackupFile.Unpacked u = BackupFile.open(backup, dir.resolve("work"))) {
            assertThat(u.info().clusterId()).isEqualTo("old-cluster");
            assertThat(u.info().sourceNodeId()).isEqualTo("n2");
            assertThat(u.info().snapshot()).isEqualTo(snapshot.meta());
            try (InputStream in = u.snapshot().openPayload()) {
                assertThat(in.readAllBytes()).isEqualTo(PAYLOAD);
            }
        }
        assertThat(dir.resolve("work")).isEmptyDirectory(); // the unpacked file is gone once closed
    }

    @Test
    void anExistingTargetIsNeverOverwritten() throws IOException {
        byte[] before = Files.readAllBytes(backup);
        assertThatThrownBy(() -> BackupFile.write(snapshot, "old-cluster", "n2", backup))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(backup)).isEqualTo(before);
    }

    @Test
    void truncatedBackupsAreRefusedWhereverTheyAreCut() throws IOException {
        byte[] whole = Files.readAllBytes(backup);
        for (int keep : new int[] {0, 3, 10, 40, whole.length / 2, whole.length - 9, whole.length - 1}) {
            Path cut = dir.resolve("cut-" + keep);
            Files.write(cut, Arrays.copyOf(whole, keep));
            assertThatThrownBy(() -> BackupFile.verify(cut, dir.resolve("work")))
                    .as("cut at %d of %d bytes", keep, whole.length)
                    .isInstanceOf(InvalidBackupException.class).hasMessageContaining(cut.toString());
        }
    }

    @Test
    void aFlippedByteAnywhereIsCaughtByTheChecksum() throws IOException {
        long size = Files.size(backup);
        // in the cluster id, in the embedded snapshot's header, in the payload, in the stored checksum
        for (long position : new long[] {7, 40, size / 2, size - 6}) {
            Path damaged = dir.resolve("damaged-" + position);
            Files.copy(backup, damaged);
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                f.seek(position);
                int b = f.read();
                f.seek(position);
                f.write(b ^ 0x10);
            }
            assertThatThrownBy(() -> BackupFile.verify(damaged, dir.resolve("work")))
                    .as("byte %d flipped", position)
                    .isInstanceOf(InvalidBackupException.class).hasMessageContaining("checksum does not match");
        }
    }

    @Test
    void aFileThatIsNoBackupIsRefusedByName() throws IOException {
        assertThatThrownBy(() -> BackupFile.verify(snapshot.file(), dir.resolve("work")))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("not a RaftX backup");
        assertThatThrownBy(() -> BackupFile.verify(dir.resolve("missing"), dir.resolve("work")))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("no such file");
    }

    @Test
    void restoreWritesASnapshotWithTheNewMembersAndALogThatStartsAfterIt() throws IOException {
        Path target = dir.resolve("data-a");
        BackupFile restored = ClusterRestore.restore(backup, plan("new-cluster", NEW_MEMBERS, "old-cluster"), "a",
                target);

        assertThat(restored.clusterId()).isEqualTo("old-cluster");
        assertThat(DataDirIdentity.recorded(target)).isEqualTo(new DataDirIdentity("new-cluster", "a"));
        StoredSnapshot s = FileSnapshotStore.open(DataDirLayout.snapshotDirectory(target)).latest().orElseThrow();
        assertThat(s.meta().index()).isEqualTo(42);
        assertThat(s.meta().term()).isEqualTo(7);
        assertThat(s.meta().membership()).isEqualTo(Membership.ofVoters(NEW_MEMBERS));
        try (InputStream in = s.openPayload()) {
            assertThat(in.readAllBytes()).isEqualTo(PAYLOAD);
        }
        try (MvStoreRaftStorage storage = MvStoreRaftStorage.open(DataDirLayout.storageFile(target))) {
            RestoredState state = storage.recover();
            assertThat(state.snapshot()).isEqualTo(s.meta());
            assertThat(state.log()).isEmpty();
            assertThat(state.hardState().commit()).isEqualTo(42);
            assertThat(state.hardState().term()).isEqualTo(7);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restoreRefusesBadInputAndWritesNothing() throws IOException {
        Path target = dir.resolve("data-a");
        Path cut = dir.resolve("cut.backup");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(backup), (int) Files.size(backup) - 100));

        assertThatThrownBy(() -> ClusterRestore.restore(cut, plan("new-cluster", NEW_MEMBERS, null), "a", target))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("new-cluster", NEW_MEMBERS, "other-cluster"),
                "a", target)).isInstanceOf(InvalidBackupException.class)
                .hasMessageContaining("taken from cluster 'old-cluster', not from cluster 'other-cluster'");
        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("old-cluster", NEW_MEMBERS, null), "a", target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("choose a new one");
        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("new-cluster", Map.of("a", "127.0.0.1:7201",
                "b", "127.0.0.1:7201"), null), "a", target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address 127.0.0.1:7201 is given to both");
        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("new-cluster", NEW_MEMBERS, null), "d", target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not among the members");
        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("new cluster", NEW_MEMBERS, null), "a", target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid");
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restoreIntoANonEmptyDirectoryIsRefusedAndTheDirectoryKeptAsItWas() throws IOException {
        Path target = Files.createDirectories(dir.resolve("data-a"));
        Files.writeString(target.resolve("raft.mv"), "someone's log");

        assertThatThrownBy(() -> ClusterRestore.restore(backup, plan("new-cluster", NEW_MEMBERS, null), "a", target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not empty")
                .hasMessageContaining("raft.mv");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.toList()).containsExactly(target.resolve("raft.mv"));
        }
        assertThat(Files.readString(target.resolve("raft.mv"))).isEqualTo("someone's log");

        Path empty = Files.createDirectories(dir.resolve("data-b"));
        ClusterRestore.restore(backup, plan("new-cluster", NEW_MEMBERS, null), "b", empty);
        assertThat(DataDirIdentity.recorded(empty)).isEqualTo(new DataDirIdentity("new-cluster", "b"));
    }

    private static ClusterRestore.Plan plan(String cluster, Map<String, String> members, String expected) {
        return new ClusterRestore.Plan(cluster, members, expected);
    }

    private java.util.List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
