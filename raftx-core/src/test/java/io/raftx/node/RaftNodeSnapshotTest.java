package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.snapshot.SnapshotStats;
import io.raftx.storage.MemoryRaftStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots at the runtime level, after the MIT 6.5840 lab 3D tests (TestSnapshotBasic3D ... TestSnapshotInit3D):
 * real RaftNodes on the in-JVM transport, snapshots in files, a state machine that records every command applied.
 * Each test ends by checking that all nodes applied exactly the same commands in the same order, and that every
 * acknowledged command is among them.
 */
class RaftNodeSnapshotTest {

    /** Small threshold and retention, so a few hundred commands produce several snapshots and installs. */
    private static final SnapshotSettings SMALL = new SnapshotSettings(50, 10, 4096);

    @TempDir
    Path dir;
    SnapshotTestCluster cluster;

    /** Whether the state machines capture their state, so that automatic snapshots are written off the loop. */
    boolean capturing() {
        return false;
    }
    private final Random random = new Random(42);

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private SnapshotTestCluster cluster(SnapshotSettings settings) {
        cluster = new SnapshotTestCluster(dir, 3, settings, capturing());
        cluster.startAll();
        cluster.awaitLeader();
        return cluster;
    }

    private String randomFollower() {
        String leader = cluster.awaitLeader();
        List<String> followers = cluster.ids.stream().filter(id -> !id.equals(leader)).toList();
        return followers.get(random.nextInt(followers.size()));
    }

    /** TestSnapshotBasic3D: under load every node snapshots and its log stays small. */
    @Test
    void snapshotBasic() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        for (int round = 0; round < 6; round++) {
            c.propose(100, 10);
            for (String id : c.ids) {
                // A snapshot written off the loop compacts once its file is written, a moment after the round.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    SnapshotStats s = c.stats(id);
                    long logEntries = c.nodes.get(id).status().lastIndex() - s.firstLogIndex() + 1;
                    assertThat(logEntries).as("log of %s", id).isLessThan(4 * SMALL.threshold());
                });
            }
        }
        c.awaitConverged();
        for (String id : c.ids) {
            assertThat(c.stats(id).taken()).as("snapshots taken by " + id).isGreaterThanOrEqualTo(5);
            try (Stream<Path> files = Files.list(c.snapshotDir(id))) {
                assertThat(files.filter(p -> p.getFileName().toString().endsWith(".snap")))
                        .as("only the latest snapshot file is kept").hasSize(1);
            }
        }
        assertThat(c.machines.get("n1").copy()).hasSize(600).doesNotHaveDuplicates();
    }

    /** TestSnapshotInstall3D: a follower cut off while the leader compacts its log catches up by a snapshot. */
    @Test
    void snapshotInstall() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        for (int round = 0; round < 3; round++) {
            String victim = randomFollower();
            c.isolate(victim, true);
            long victimLast = c.nodes.get(victim).status().lastIndex();
            c.propose(150, 10);
            awaitCompactedBeyond(c, victimLast);
            c.isolate(victim, false);
            c.awaitConverged();
        }
        assertThat(c.totalInstalled()).isGreaterThanOrEqualTo(3);
        assertThat(c.acknowledged).hasSize(450);
    }

    /**
     * The leader compacts once its snapshot is recorded (a moment after the writes, if written off the loop): only
     * then does a node that stopped at {@code lastIndex} need a snapshot rather than entries.
     */
    private static void awaitCompactedBeyond(SnapshotTestCluster c, long lastIndex) {
        // 30 s: in the full suite on two cores this took over 10 s in three of four runs on 2026-12-07 (evening).
        // One cause found since: a snapshot written off the loop raised the threshold by the entries applied during
        // its write, so a round could end without another compaction (Snapshotter.record no longer counts them).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> c.stats(c.awaitLeader()).firstLogIndex() > lastIndex + 1);
    }

    /** TestSnapshotInstallUnreliable3D: the same while messages and snapshot chunks are lost at random. */
    @Test
    void snapshotInstallUnreliable() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        c.hub.lossRate = 0.1;
        for (int round = 0; round < 3; round++) {
            String victim = randomFollower();
            c.isolate(victim, true);
            c.propose(150, 10);
            c.isolate(victim, false);
            c.propose(20, 5);
        }
        c.hub.lossRate = 0;
        c.awaitConverged();
        assertThat(c.totalInstalled()).isGreaterThanOrEqualTo(1);
        assertThat(c.acknowledged).isNotEmpty();
    }

    /** TestSnapshotInstallCrash3D: nodes (the leader too) crash and restart from their snapshots and logs. */
    @Test
    void snapshotInstallCrash() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        for (int round = 0; round < 4; round++) {
            String victim = c.ids.get(random.nextInt(c.ids.size()));
            long victimLast = c.nodes.get(victim).status().lastIndex();
            c.crash(victim);
            c.propose(150, 10);
            awaitCompactedBeyond(c, victimLast);
            c.start(victim);
            c.awaitConverged();
        }
        assertThat(c.totalInstalled()).isGreaterThanOrEqualTo(1);
        assertThat(c.acknowledged.size()).isGreaterThan(500);
    }

    /** TestSnapshotInstallUnCrash3D: crashes and restarts on a lossy network. */
    @Test
    void snapshotInstallUnreliableCrash() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        c.hub.lossRate = 0.1;
        for (int round = 0; round < 3; round++) {
            String victim = c.ids.get(random.nextInt(c.ids.size()));
            c.crash(victim);
            c.propose(150, 10);
            c.start(victim);
            c.propose(20, 5);
        }
        c.hub.lossRate = 0;
        c.awaitConverged();
        assertThat(c.totalInstalled() + c.totalTaken()).isGreaterThan(3);
    }

    /** TestSnapshotAllCrash3D: every node crashes; each comes back with the state of its snapshot and log. */
    @Test
    void snapshotAllCrash() throws Exception {
        SnapshotTestCluster c = cluster(SMALL);
        for (int round = 0; round < 3; round++) {
            c.propose(120, 10);
            c.awaitConverged();
            List<String> before = c.machines.get("n1").copy();
            for (String id : c.ids) {
                await().atMost(Duration.ofSeconds(10)).until(() -> c.stats(id).latest() != null); // recorded
                c.crash(id);
            }
            for (String id : c.ids) {
                c.start(id);
                // Restored from the snapshot before the node even starts; the committed log suffix follows.
                assertThat(c.machines.get(id).restores).isEqualTo(1);
                assertThat(before).startsWith(c.machines.get(id).copy().toArray(String[]::new));
            }
            c.awaitLeader();
            c.propose(10, 5);
            c.awaitConverged();
            assertThat(c.machines.get("n1").copy()).startsWith(before.toArray(String[]::new));
        }
    }

    /** TestSnapshotInit3D: a restart right after a snapshot, with an empty log behind it. */
    @Test
    void snapshotInit() throws Exception {
        SnapshotTestCluster c = cluster(SnapshotSettings.DEFAULTS);
        c.propose(1, 1);
        c.awaitConverged();
        for (String id : c.ids) {
            SnapshotMeta meta = c.nodes.get(id).snapshot().get(5, TimeUnit.SECONDS);
            assertThat(meta.index()).isEqualTo(c.nodes.get(id).status().appliedIndex());
        }
        for (String id : c.ids) {
            c.crash(id);
        }
        c.startAll();
        for (String id : c.ids) {
            assertThat(c.machines.get(id).copy()).containsExactly("c0");
        }
        c.awaitLeader();
        c.propose(1, 1);
        c.awaitConverged();
        assertThat(c.machines.get("n2").copy()).containsExactly("c0", "c1");
    }

    /**
     * Seed 002's dynamic threshold: with more entries retained than the configured threshold, a fixed threshold
     * would snapshot after every entry (a compaction storm); the dynamic one waits until the log is 1.5 times what
     * compaction left.
     */
    @Test
    void dynamicThresholdPreventsACompactionStorm() throws Exception {
        cluster = new SnapshotTestCluster(dir, 1, new SnapshotSettings(100, 500, 4096), capturing());
        cluster.startAll();
        cluster.awaitLeader();
        cluster.propose(2000, 20);
        SnapshotStats s = cluster.stats("n1");
        // Warm-up snapshots at 101, 152, 228, 342, 513 entries, then one per ~250 entries (1.5 x 500 - 500). Written
        // off the loop, fewer: the log grows on while one is written, and the next waits for it.
        assertThat(s.taken()).isBetween(capturing() ? 1L : 5L, 14L);
        assertThat(s.threshold()).isGreaterThanOrEqualTo(750);
        long logEntries = cluster.nodes.get("n1").status().lastIndex() - s.firstLogIndex() + 1;
        assertThat(logEntries).as("the retained entries stay").isGreaterThanOrEqualTo(500);
        assertThat(cluster.machines.get("n1").copy()).hasSize(2000);
    }

    @Test
    void manualSnapshotReportsTheLatestWhenNothingNewWasApplied() throws Exception {
        SnapshotTestCluster c = cluster(SnapshotSettings.DEFAULTS);
        String leader = c.awaitLeader();
        c.propose(5, 5);
        RaftNode node = c.nodes.get(leader);
        // A new leader's no-op (an election on a loaded machine) may be applied while the checks run: try again until
        // nothing was applied from before the first snapshot to after the second one.
        SnapshotMeta first = null;
        for (int attempt = 0; attempt < 10 && first == null; attempt++) {
            NodeStatus before = node.status();
            SnapshotMeta taken = node.snapshot().get(5, TimeUnit.SECONDS);
            NodeStatus after = node.status();
            SnapshotMeta again = node.snapshot().get(5, TimeUnit.SECONDS);
            NodeStatus end = node.status();
            if (end.term() != before.term() || before.appliedIndex() != end.appliedIndex()) {
                Thread.sleep(200);
                continue;
            }
            assertThat(taken.index()).isEqualTo(after.appliedIndex());
            assertThat(again).isEqualTo(taken);
            first = taken;
        }
        assertThat(first).as("a term without elections within 10 attempts").isNotNull();
        assertThat(first.membership().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
    }

    @Test
    void nodeWithoutSnapshotStoreRefusesManualSnapshots() {
        RaftNode node = new RaftNode(NodeConfig.of("solo", List.of("solo")).withTick(Duration.ofMillis(10)),
                new MemoryRaftStorage(), new LocalTransport.Hub().join("solo"), new LogMachine());
        node.start();
        try {
            assertThatThrownBy(() -> node.snapshot().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("no snapshot store");
        } finally {
            node.close();
        }
    }
}
