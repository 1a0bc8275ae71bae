package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.snapshot.BackupFile;
import io.raftx.snapshot.ClusterRestore;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.storage.DataDirLayout;
import io.raftx.storage.ForceNewCluster;
import io.raftx.storage.MvStoreRaftStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup of a running node, restore of a new three-node cluster from it, and force-new-cluster on one survivor of
 * that cluster, with real files (MVStore, snapshot files) and nodes in one JVM.
 */
class BackupRestoreTest {

    private static final Map<String, String> NEW_MEMBERS = new LinkedHashMap<>(Map.of("a", "127.0.0.1:7201",
            "b", "127.0.0.1:7202", "c", "127.0.0.1:7203"));

    @TempDir
    Path dir;
    private final List<RaftNode> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(RaftNode::close);
    }

    private RaftNode start(String id, List<String> voters, Path dataDir, LogMachine machine, LocalTransport.Hub hub) {
        RaftNode node = new RaftNode(NodeConfig.of(id, voters).withTick(Duration.ofMillis(10)),
                MvStoreRaftStorage.open(DataDirLayout.storageFile(dataDir)),
                FileSnapshotStore.open(DataDirLayout.snapshotDirectory(dataDir)), hub.join(id), machine);
        node.start();
        running.add(node);
        return node;
    }

    @Test
    void aBackupRestoresIntoANewClusterAndASurvivorOfItCarriesOnAlone() throws Exception {
        // A running one-node cluster, backed up online.
        Path oldDir = dir.resolve("old-n1");
        LogMachine oldMachine = new LogMachine();
        RaftNode old = start("n1", List.of("n1"), oldDir, oldMachine, new LocalTransport.Hub());
        await().atMost(Duration.ofSeconds(10)).until(() -> old.status().role() == Role.LEADER);
        proposeAll(old, "before", 20);
        Path backup = dir.resolve("old.backup");
        BackupFile written = new OnlineBackup(old, FileSnapshotStore.open(DataDirLayout.snapshotDirectory(oldDir)),
                "old").writeTo(backup, Duration.ofSeconds(10));
        List<String> backedUp = oldMachine.copy();
        assertThat(backedUp).hasSize(20);
        // the status is published after the loop's batch, so it may show the snapshot's index a moment later
        await().atMost(Duration.ofSeconds(10)).until(() -> old.status().appliedIndex() == written.snapshot().index());
        proposeAll(old, "after", 5); // not in the backup

        // A new cluster of three, restored from it.
        LocalTransport.Hub hub = new LocalTransport.Hub();
        Map<String, LogMachine> machines = new LinkedHashMap<>();
        for (String id : NEW_MEMBERS.keySet()) {
            ClusterRestore.restore(backup, new ClusterRestore.Plan("new", NEW_MEMBERS, "old"), id, dir.resolve(id));
        }
        Map<String, RaftNode> nodes = new LinkedHashMap<>();
        for (String id : NEW_MEMBERS.keySet()) {
            machines.put(id, new LogMachine());
            nodes.put(id, start(id, List.copyOf(NEW_MEMBERS.keySet()), dir.resolve(id), machines.get(id), hub));
        }
        machines.values().forEach(m -> assertThat(m.copy()).isEqualTo(backedUp));
        RaftNode leader = awaitLeader(nodes.values());
        proposeAll(leader, "restored", 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> machines.values().stream()
                .allMatch(m -> m.copy().size() == 23));
        assertThat(leader.status().membership().voters()).containsExactlyInAnyOrderElementsOf(NEW_MEMBERS.keySet());

        // b and c are lost for good; a is stopped, forced into a one-member cluster and started again.
        nodes.values().forEach(RaftNode::close);
        ForceNewCluster.LogState before = ForceNewCluster.rewrite(dir.resolve("a"), "a", NEW_MEMBERS.get("a"));
        assertThat(before.membership().voters()).containsExactlyInAnyOrder("a", "b", "c");
        LogMachine survivorMachine = new LogMachine();
        RaftNode survivor = start("a", List.copyOf(NEW_MEMBERS.keySet()), dir.resolve("a"), survivorMachine, hub);
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.status().role() == Role.LEADER);
        assertThat(survivor.status().membership().voters()).containsExactly("a");
        proposeAll(survivor, "alone", 2);
        List<String> expected = new ArrayList<>(machines.get("a").copy());
        expected.addAll(List.of("alone0", "alone1"));
        assertThat(survivorMachine.copy()).isEqualTo(expected);

        // Adding a member back under an address in use is refused, naming the member that has it.
        assertThatThrownBy(() -> survivor.addMember("d", NEW_MEMBERS.get("a")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("already used by member a");
        survivor.close();
        assertThatThrownBy(() -> ForceNewCluster.rewrite(dir.resolve("a"), "a", NEW_MEMBERS.get("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already the only member");
        assertThatThrownBy(() -> ForceNewCluster.rewrite(dir.resolve("b"), "a", NEW_MEMBERS.get("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 'b''s, not node 'a''s");
    }

    private static RaftNode awaitLeader(Iterable<RaftNode> nodes) {
        RaftNode[] leader = new RaftNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (RaftNode n : nodes) {
                if (n.status() != null && n.status().role() == Role.LEADER) {
                    leader[0] = n;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    private static void proposeAll(RaftNode node, String prefix, int count) throws Exception {
        List<CompletableFuture<Applied>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(node.propose((prefix + i).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
}
