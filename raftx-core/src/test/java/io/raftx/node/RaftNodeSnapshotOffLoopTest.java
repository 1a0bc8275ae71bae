package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.SnapshotSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every {@link RaftNodeSnapshotTest} again with state machines that capture their state, so that automatic snapshots
 * are written off the loop; and what the node does while such a write is slow.
 */
class RaftNodeSnapshotOffLoopTest extends RaftNodeSnapshotTest {

    @Override
    boolean capturing() {
        return true;
    }

    /**
     * While a captured snapshot is being written the node goes on committing, and the snapshot holds the state as of
     * its capture; the log is compacted only once it is recorded, and a restart starts from it.
     */
    @Test
    void theNodeKeepsCommittingWhileASnapshotIsWritten() throws Exception {
        CapturingLogMachine machine = oneNodeWithAHeldSnapshotWrite();
        cluster.propose(200, 10);
        assertThat(cluster.acknowledged).as("acknowledged while the snapshot write is held").hasSize(260);
        assertThat(cluster.stats("n1").taken()).as("not recorded before its file is written").isZero();
        assertThat(cluster.stats("n1").firstLogIndex()).as("nothing compacted yet").isEqualTo(1);

        machine.releaseOnlyThis(); // the next snapshot, due at once, waits: the first one is what is checked
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.stats("n1").taken() >= 1);
        SnapshotMeta first = cluster.stats("n1").latest();
        assertThat(first.index()).as("captured after about 50 entries, not at the end").isLessThan(100);
        assertThat(cluster.stats("n1").firstLogIndex()).isGreaterThan(1);

        machine.release();
        cluster.crash("n1");
        cluster.start("n1");
        cluster.awaitLeader();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.machines.get("n1").copy().size() == 260);
        assertThat(cluster.machines.get("n1").copy()).containsAll(cluster.acknowledged).doesNotHaveDuplicates();
        assertThat(cluster.machines.get("n1").restores).as("restarted from the snapshot").isEqualTo(1);
    }

    /**
     * Entries applied while a snapshot's file was written are the next snapshot's to compact: they do not raise the
     * threshold (1.5 x the log left after compaction), so the next write's round snapshots and compacts again.
     */
    @Test
    void entriesAppliedDuringTheWriteDoNotRaiseTheThreshold() throws Exception {
        CapturingLogMachine machine = oneNodeWithAHeldSnapshotWrite();
        cluster.propose(200, 10);
        machine.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.stats("n1").taken() >= 1);
        assertThat(cluster.stats("n1").threshold())
                .as("about the configured 50, not 1.5 x the ~210 entries left after the first compaction")
                .isLessThan(100);
        cluster.propose(1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.stats("n1").firstLogIndex() > 200);
    }

    /** An explicit snapshot while a captured one is still being written waits for it, then takes its own. */
    @Test
    void anExplicitSnapshotWaitsForTheOneBeingWritten() throws Exception {
        CapturingLogMachine machine = oneNodeWithAHeldSnapshotWrite();
        RaftNode node = cluster.nodes.get("n1");
        CompletableFuture<SnapshotMeta> explicit = node.snapshot();
        Thread.sleep(200);
        assertThat(explicit).as("waits for the captured snapshot's file").isNotDone();
        machine.release();
        SnapshotMeta taken = explicit.get(10, TimeUnit.SECONDS);
        assertThat(taken.index()).isEqualTo(node.status().appliedIndex());
        assertThat(cluster.stats("n1").taken()).as("the captured one and the explicit one").isEqualTo(2);
        assertThat(List.of(cluster.snapshotDir("n1").toFile().list()))
                .filteredOn(n -> n.endsWith(".snap")).hasSize(1);
    }

    /** One node, snapshots every 50 entries; 60 writes cross the threshold and the captured snapshot's write waits. */
    private CapturingLogMachine oneNodeWithAHeldSnapshotWrite() throws Exception {
        cluster = new SnapshotTestCluster(dir, 1, new SnapshotSettings(50, 10, 4096), true);
        cluster.startAll();
        cluster.awaitLeader();
        CapturingLogMachine machine = (CapturingLogMachine) cluster.machines.get("n1");
        machine.hold();
        cluster.propose(60, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> machine.captures == 1);
        return machine;
    }
}
