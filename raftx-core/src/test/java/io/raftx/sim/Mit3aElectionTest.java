package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIT 6.5840 Lab 3A (leader election) on the simulator: InitialElection, ReElection, ManyElections. Each runs on a
 * few seeds; a failing seed replays exactly.
 */
class Mit3aElectionTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void initialElection(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.checkOneLeader();
        c.sim.runTicks(5);
        long term1 = c.checkTerms();
        assertThat(term1).isPositive();
        c.sim.runTicks(2 * MitCluster.ELECTION);
        long term2 = c.checkTerms();
        assertThat(term2).as("term changed even though there were no failures").isEqualTo(term1);
        c.checkOneLeader();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void reElection(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        String leader1 = c.checkOneLeader();

        c.disconnect(leader1); // a new leader is elected without it
        String newLeader = c.checkOneLeader();
        assertThat(newLeader).isNotEqualTo(leader1);

        c.connect(leader1); // the old leader rejoins without disturbing the new one
        String leader2 = c.checkOneLeader();

        c.disconnect(leader2); // no quorum: no leader
        c.disconnect(c.after(leader2, 1));
        c.checkNoLeader();

        c.connect(c.after(leader2, 1)); // a quorum again
        c.checkOneLeader();

        c.connect(leader2);
        c.checkOneLeader();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void manyElections(long seed) {
        MitCluster c = new MitCluster(seed, 7);
        c.checkOneLeader();
        for (int iter = 0; iter < 10; iter++) {
            List<String> shuffled = new ArrayList<>(c.ids());
            Collections.shuffle(shuffled, c.sim.random());
            List<String> out = shuffled.subList(0, 3);
            out.forEach(c::disconnect);
            // Either the old leader is still connected, or the remaining 4 (a majority) elect one.
            String leader = c.checkOneLeader();
            assertThat(out).doesNotContain(leader);
            out.forEach(c::connect);
        }
        c.checkOneLeader();
    }
}
