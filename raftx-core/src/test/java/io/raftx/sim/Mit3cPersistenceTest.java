package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIT 6.5840 Lab 3C (persistence) on the simulator: Persist1-3, Figure8, UnreliableAgree, Figure8Unreliable,
 * ReliableChurn, UnreliableChurn. A crash keeps exactly what the node persisted through the Ready contract.
 */
class Mit3cPersistenceTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void persist1(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        for (String id : c.ids()) { // crash and restart everyone
            c.crash(id);
        }
        for (String id : c.ids()) {
            c.start(id);
            c.connect(id);
        }
        c.one(3);

        String leader1 = c.checkOneLeader();
        c.crash(leader1);
        c.start(leader1);
        c.connect(leader1);
        c.one(3);

        String leader2 = c.checkOneLeader();
        c.crash(leader2);
        long index = c.one(2);
        c.start(leader2);
        c.connect(leader2);
        c.sim.runUntil(() -> c.nCommitted(index) == 3, MitCluster.ELECTION);
        assertThat(c.nCommitted(index)).as("restarted leader caught up").isEqualTo(3);

        String i3 = c.after(c.checkOneLeader(), 1);
        c.crash(i3);
        c.one(2);
        c.start(i3);
        c.connect(i3);
        c.one(3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void persist2(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        for (int iter = 0; iter < 5; iter++) {
            c.one(5);
            String leader1 = c.checkOneLeader();
            c.crash(c.after(leader1, 1));
            c.crash(c.after(leader1, 2));
            c.one(3);

            c.crash(leader1);
            c.crash(c.after(leader1, 3));
            c.crash(c.after(leader1, 4));
            c.start(c.after(leader1, 1));
            c.connect(c.after(leader1, 1));
            c.start(c.after(leader1, 2));
            c.connect(c.after(leader1, 2));
            c.sim.runTicks(MitCluster.ELECTION);

            c.start(c.after(leader1, 3)); // a majority again, with only one of the nodes that saw the last entry
            c.connect(c.after(leader1, 3));
            c.one(3);

            c.start(c.after(leader1, 4));
            c.connect(c.after(leader1, 4));
            c.start(leader1);
            c.connect(leader1);
        }
        c.one(5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void persist3(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        String leader = c.checkOneLeader();
        c.disconnect(c.after(leader, 2));
        c.one(2);
        c.crash(leader);
        c.crash(c.after(leader, 1));
        c.connect(c.after(leader, 2));
        c.start(leader);
        c.connect(leader);
        c.one(2);
        c.start(c.after(leader, 1));
        c.connect(c.after(leader, 1));
        c.one(3);
    }

    /**
     * Figure 8 of the Raft paper, repeated: propose on whoever leads, then crash it, sometimes right away and
     * sometimes after a while, keeping at least three of five up. A leader must never commit an entry of an older
     * term by counting replicas; the checker would catch a committed entry changing.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void figure8(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        c.one(1);
        int up = 5;
        int leaderCrashes = 0;
        for (int iter = 0; iter < 1000; iter++) {
            String leader = null;
            for (String id : c.ids()) {
                if (c.isUp(id) && c.sim.propose(id).accepted()) {
                    leader = id;
                }
            }
            c.sim.runTicks(shortOrLongPause(c));
            if (leader != null && c.isUp(leader)) {
                c.crash(leader);
                up--;
                leaderCrashes++;
            }
            if (up < 3) {
                String s = c.random();
                if (!c.isUp(s)) {
                    c.start(s);
                    c.connect(s);
                    up++;
                }
            }
        }
        for (String id : c.ids()) {
            if (!c.isUp(id)) {
                c.start(id);
                c.connect(id);
            }
        }
        c.one(5);
        assertThat(leaderCrashes).as("leaders crashed").isGreaterThan(30);
        c.sim.checkFinal();
    }

    /** The lab sleeps 0-13 ms mostly, and up to half an election timeout one time in ten. */
    private static int shortOrLongPause(MitCluster c) {
        return c.sim.random().nextInt(1000) < 100 ? c.sim.random().nextInt(MitCluster.ELECTION / 2)
                : c.sim.random().nextInt(2);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void unreliableAgree(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        c.setUnreliable(true);
        List<Proposal> all = new ArrayList<>();
        for (int iter = 1; iter < 50; iter++) {
            all.addAll(c.commitConcurrently(4, 1));
            c.one(1);
        }
        c.setUnreliable(false);
        long last = c.one(5);
        assertThat(all).hasSize(4 * 49).allMatch(c::holds);
        assertThat(c.nCommitted(last)).isEqualTo(5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void figure8Unreliable(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        c.setUnreliable(true);
        c.one(1);
        int connected = 5;
        int cutOffLeaders = 0;
        for (int iter = 0; iter < 1000; iter++) {
            if (iter == 200) {
                c.setLongReordering();
            }
            String leader = null;
            for (String id : c.ids()) {
                if (c.sim.propose(id).accepted()) {
                    leader = id;
                }
            }
            c.sim.runTicks(shortOrLongPause(c));
            if (leader != null && c.isConnected(leader) && c.sim.random().nextBoolean()) {
                c.disconnect(leader);
                connected--;
                cutOffLeaders++;
            }
            if (connected < 3) {
                String s = c.random();
                if (!c.isConnected(s)) {
                    c.connect(s);
                    connected++;
                }
            }
        }
        c.ids().forEach(c::connect);
        c.one(5);
        assertThat(cutOffLeaders).as("leaders cut off").isGreaterThan(15);
        c.sim.checkFinal();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void reliableChurn(long seed) {
        churn(seed, false);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void unreliableChurn(long seed) {
        churn(seed, true);
    }

    /**
     * Clients keep proposing to whoever they think leads while servers are cut off, crashed and revived at random;
     * afterwards every command a client saw committed must be in the log, at the index it was given.
     */
    private static void churn(long seed, boolean unreliable) {
        MitCluster c = new MitCluster(seed, 5);
        c.setUnreliable(unreliable);
        c.sim.client().startLoad(3 * SimCluster.TICK, 3);
        for (int iter = 0; iter < 20; iter++) {
            if (c.sim.random().nextInt(1000) < 200) {
                c.disconnect(c.random());
            }
            if (c.sim.random().nextInt(1000) < 500) {
                String i = c.random();
                if (!c.isUp(i)) {
                    c.start(i);
                }
                c.connect(i);
            }
            if (c.sim.random().nextInt(1000) < 200) {
                String i = c.random();
                if (c.isUp(i)) {
                    c.crash(i);
                }
            }
            c.sim.runTicks(MitCluster.ELECTION * 7 / 10);
        }
        c.sim.runTicks(MitCluster.ELECTION);
        c.setUnreliable(false);
        for (String id : c.ids()) {
            if (!c.isUp(id)) {
                c.start(id);
            }
            c.connect(id);
        }
        c.sim.client().stopLoad();
        c.sim.runTicks(MitCluster.ELECTION);
        long last = c.one(5);

        List<Proposal> committed = c.sim.client().all().stream().filter(Proposal::isCommitted).toList();
        assertThat(committed.size()).as("commands clients saw committed").isGreaterThan(20);
        for (Proposal p : committed) {
            assertThat(p.index()).isLessThanOrEqualTo(last);
            assertThat(c.holds(p)).as(p + " is in the log at its index").isTrue();
        }
        c.sim.awaitAppliedEverywhere(last, MitCluster.ELECTION);
        c.sim.checkFinal();
    }
}
