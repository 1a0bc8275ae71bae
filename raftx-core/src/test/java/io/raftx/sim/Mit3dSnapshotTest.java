package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.MessageType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIT 6.5840 Lab 3D (log compaction) at the core level: every node snapshots its state machine every
 * {@link #SNAPSHOT_INTERVAL} applied entries and drops its whole log prefix (the lab's policy), so a follower that
 * missed entries can only catch up through InstallSnapshot. After every step no node's log may exceed
 * {@link #MAX_LOG_ENTRIES} entries (the lab's MAXLOGSIZE).
 */
class Mit3dSnapshotTest {

    static final int SNAPSHOT_INTERVAL = 10;
    /** Up to two intervals (a snapshot is taken when an interval's worth was applied) plus one burst of commands. */
    static final int MAX_LOG_ENTRIES = 2 * SNAPSHOT_INTERVAL + 2 * SNAPSHOT_INTERVAL;

    private static MitCluster cluster(long seed, int servers) {
        return cluster(SimCluster.builder(seed).nodes(servers));
    }

    private static MitCluster cluster(SimClusterBuilder builder) {
        MitCluster c = new MitCluster(builder.autoSnapshot(new AutoSnapshot(SNAPSHOT_INTERVAL, 0)));
        c.sim.onStep(() -> {
            for (SimNode n : c.sim.nodes()) {
                if (n.isUp()) {
                    long size = n.raft().lastIndex() - n.raft().firstIndex() + 1;
                    assertThat(size).as(n + ": log too large").isLessThanOrEqualTo(MAX_LOG_ENTRIES);
                    assertThat(n.storage().log().size()).as(n + ": stored log too large")
                            .isLessThanOrEqualTo(MAX_LOG_ENTRIES);
                }
            }
        });
        return c;
    }

    /**
     * The lab's snapcommon: 30 rounds of a burst of commands big enough to cause a snapshot, sent to the leader (or,
     * one round in three, to a follower, which refuses them); optionally with a victim cut off or crashed meanwhile
     * (the leader itself one round in three), which must catch up when it returns.
     */
    private static MitCluster snapCommon(long seed, boolean disconnect, boolean reliable, boolean crash) {
        int servers = 3;
        MitCluster c = cluster(seed, servers);
        c.setUnreliable(!reliable);
        c.one(servers);
        String leader1 = c.checkOneLeader();
        for (int i = 0; i < 30; i++) {
            String victim = c.after(leader1, 1);
            String sender = leader1;
            if (i % 3 == 1) {
                sender = c.after(leader1, 1);
                victim = leader1;
            }
            if (disconnect) {
                c.disconnect(victim);
                c.one(servers - 1);
            }
            if (crash) {
                c.crash(victim);
                c.one(servers - 1);
            }
            int nn = SNAPSHOT_INTERVAL / 2 + c.sim.random().nextInt(SNAPSHOT_INTERVAL);
            c.sim.proposeBatch(sender, nn); // refused unless the sender leads
            c.one(disconnect || crash ? servers - 1 : servers);
            if (disconnect) {
                c.connect(victim); // it may be behind the leader's snapshot: it needs InstallSnapshot
                c.one(servers);
                leader1 = c.checkOneLeader();
            }
            if (crash) {
                c.start(victim);
                c.connect(victim);
                c.one(servers);
                leader1 = c.checkOneLeader();
            }
        }
        c.sim.checkFinal();
        return c;
    }

    /**
     * No faults and every follower caught up after each burst, so no InstallSnapshot is needed. The network keeps
     * each link in order here, like the runtime's streams: when it reorders, a follower may rightly reject an append
     * that overtook the one before it, and the leader, having compacted everything, must then send a snapshot.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotBasic(long seed) {
        long[] snapshotMessages = {0};
        MitCluster c = cluster(SimCluster.builder(seed).nodes(3).faults(FaultPlan.inOrder(2)));
        c.sim.network().onSend(m -> snapshotMessages[0] += m.type() == MessageType.SNAPSHOT ? 1 : 0);
        c.one(3);
        String leader = c.checkOneLeader();
        for (int i = 0; i < 30; i++) {
            String sender = i % 3 == 1 ? c.after(leader, 1) : leader;
            c.sim.proposeBatch(sender, SNAPSHOT_INTERVAL / 2 + c.sim.random().nextInt(SNAPSHOT_INTERVAL));
            c.one(3); // everyone caught up, so no InstallSnapshot is needed
            leader = c.checkOneLeader();
        }
        assertThat(c.sim.stats().snapshotsTaken()).as("snapshots taken").isGreaterThanOrEqualTo(3L * 10);
        assertThat(snapshotMessages[0]).as("InstallSnapshot sent although every follower kept up").isZero();
        c.sim.checkFinal();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotInstall(long seed) {
        MitCluster c = snapCommon(seed, true, true, false);
        assertThat(c.sim.stats().snapshotsInstalled()).as("followers caught up through InstallSnapshot").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotInstallUnreliable(long seed) {
        MitCluster c = snapCommon(seed, true, false, false);
        assertThat(c.sim.stats().snapshotsInstalled()).as("followers caught up through InstallSnapshot").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotInstallCrash(long seed) {
        MitCluster c = snapCommon(seed, false, true, true);
        assertThat(c.sim.stats().snapshotsInstalled()).as("followers caught up through InstallSnapshot").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotInstallUnCrash(long seed) {
        MitCluster c = snapCommon(seed, false, false, true);
        assertThat(c.sim.stats().snapshotsInstalled()).as("followers caught up through InstallSnapshot").isPositive();
    }

    /** Crash and restart every server after bursts of commands: each comes back from its snapshot and log. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotAllCrash(long seed) {
        int servers = 3;
        MitCluster c = cluster(seed, servers);
        c.one(servers);
        for (int i = 0; i < 5; i++) {
            int nn = SNAPSHOT_INTERVAL / 2 + c.sim.random().nextInt(SNAPSHOT_INTERVAL);
            for (int j = 0; j < nn; j++) {
                c.one(servers);
            }
            long index1 = c.one(servers);
            crashAndReviveAll(c);
            long index2 = c.one(servers);
            assertThat(index2).as("index decreased from " + index1 + " to " + index2).isGreaterThan(index1);
        }
        c.sim.checkFinal();
    }

    /** Restarting from a snapshot twice in a row: the log must start after it and the state machine from it. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotInit(long seed) {
        int servers = 3;
        MitCluster c = cluster(seed, servers);
        c.one(servers);
        for (int i = 0; i < SNAPSHOT_INTERVAL + 1; i++) { // enough for a snapshot
            c.one(servers);
        }
        crashAndReviveAll(c);
        assertRestoredFromSnapshot(c);
        c.one(servers); // something new to persist after the snapshot
        crashAndReviveAll(c);
        assertRestoredFromSnapshot(c);
        long index = c.one(servers);
        c.sim.awaitAppliedEverywhere(index, MitCluster.ELECTION);
        c.sim.checkFinal();
    }

    private static void crashAndReviveAll(MitCluster c) {
        c.ids().forEach(c::crash);
        for (String id : c.ids()) {
            c.start(id);
            c.connect(id);
        }
    }

    private static void assertRestoredFromSnapshot(MitCluster c) {
        for (SimNode n : c.sim.nodes()) {
            long snap = n.storage().snapshotIndex();
            assertThat(snap).as(n + " has a snapshot").isPositive();
            assertThat(n.raft().firstIndex()).as(n + " log starts after its snapshot").isEqualTo(snap + 1);
            assertThat(n.appliedIndex()).as(n + " state machine restored from its snapshot").isGreaterThanOrEqualTo(snap);
        }
    }
}
