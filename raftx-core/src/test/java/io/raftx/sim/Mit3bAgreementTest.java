package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.MessageType;
import io.raftx.raft.ProposalOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIT 6.5840 Lab 3B (log agreement) on the simulator: BasicAgree, FollowerFailure, LeaderFailure, FailAgree,
 * FailNoAgree, ConcurrentStarts, Rejoin. Backup and Count are in {@link Mit3bBackupAndCountTest}.
 *
 * <p>Indexes differ from the lab by design: every new leader appends a no-op first, so commands do not start at 1.
 */
class Mit3bAgreementTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void basicAgree(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        String leader = c.checkOneLeader();
        c.sim.runTicks(5);
        long expected = c.sim.node(leader).raft().lastIndex() + 1;
        for (int i = 0; i < 3; i++) {
            assertThat(c.nCommitted(expected)).as("some have committed before Start()").isZero();
            long index = c.one(3);
            assertThat(index).as("got index " + index + " but expected " + expected).isEqualTo(expected);
            expected++;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void followerFailure(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        String leader1 = c.checkOneLeader();
        c.disconnect(c.after(leader1, 1)); // one follower gone: the other two still agree
        c.one(2);
        c.sim.runTicks(MitCluster.ELECTION);
        c.one(2);

        String leader2 = c.checkOneLeader(); // both followers gone: nothing commits
        c.disconnect(c.after(leader2, 1));
        c.disconnect(c.after(leader2, 2));
        Proposal p = c.sim.propose(leader2);
        assertThat(p.accepted()).as("leader rejected Start()").isTrue();
        c.sim.runTicks(2 * MitCluster.ELECTION);
        assertThat(c.nCommitted(p.index())).as("entry committed without a majority").isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void leaderFailure(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        String leader1 = c.checkOneLeader();
        c.disconnect(leader1); // the remaining followers elect a new leader
        c.one(2);
        c.sim.runTicks(MitCluster.ELECTION);
        long last = c.one(2);

        String leader2 = c.checkOneLeader(); // the new leader goes too: nothing may commit
        c.disconnect(leader2);
        for (String id : c.ids()) {
            c.sim.propose(id);
        }
        c.sim.runTicks(2 * MitCluster.ELECTION);
        assertThat(c.nCommitted(last + 1)).as("entry committed without a majority").isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void failAgree(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        String leader = c.checkOneLeader();
        String follower = c.after(leader, 1);
        c.disconnect(follower); // the leader and one follower keep agreeing
        c.one(2);
        c.one(2);
        c.sim.runTicks(MitCluster.ELECTION);
        c.one(2);
        long missed = c.one(2);

        c.connect(follower); // it catches up and takes part again
        c.one(3);
        c.sim.runTicks(MitCluster.ELECTION);
        long index = c.one(3);
        assertThat(c.sim.node(follower).appliedIndex()).isGreaterThanOrEqualTo(missed);
        assertThat(c.nCommitted(index)).isEqualTo(3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void failNoAgree(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        long first = c.one(5);
        String leader = c.checkOneLeader(); // 3 of 5 followers gone: nothing commits
        for (int k = 1; k <= 3; k++) {
            c.disconnect(c.after(leader, k));
        }
        Proposal p = c.sim.propose(leader);
        assertThat(p.accepted()).as("leader rejected Start()").isTrue();
        assertThat(p.index()).as("expected index " + (first + 1)).isEqualTo(first + 1);
        c.sim.runTicks(2 * MitCluster.ELECTION);
        assertThat(c.nCommitted(p.index())).as("committed without a majority").isZero();

        for (int k = 1; k <= 3; k++) { // repair: the leader may have changed; its no-op may take index first + 1
            c.connect(c.after(leader, k));
        }
        Proposal p2 = null;
        while (p2 == null) {
            p2 = c.proposeToAConnectedLeader();
            if (p2 == null) {
                c.checkOneLeader();
            }
        }
        assertThat(p2.index()).as("unexpected index").isBetween(first + 2, first + 3);
        c.one(5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void concurrentStarts(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        String leader = c.checkOneLeader();
        c.one(3);
        List<Integer> appendSizes = new ArrayList<>();
        c.sim.network().onSend(m -> {
            if (m.type() == MessageType.APPEND && !m.entries().isEmpty()) {
                appendSizes.add(m.entries().size());
            }
        });
        List<Proposal> batch = c.sim.proposeBatch(leader, 5);
        assertThat(batch).allMatch(Proposal::accepted);
        // Started together, the five commands leave together: one append of five entries per follower.
        assertThat(appendSizes).as("appends sent when the commands were started").containsExactly(5, 5);
        long last = batch.get(4).index();
        c.sim.runUntil(() -> c.nCommitted(last) == 3, MitCluster.ELECTION);
        for (int i = 0; i < 5; i++) {
            assertThat(batch.get(i).index()).isEqualTo(batch.get(0).index() + i);
            assertThat(batch.get(i).isCommitted()).isTrue();
            assertThat(c.holds(batch.get(i))).isTrue();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void rejoin(long seed) {
        MitCluster c = new MitCluster(seed, 3);
        c.one(3);
        String leader1 = c.checkOneLeader();
        c.disconnect(leader1); // the cut-off leader takes commands it can never commit
        List<Proposal> doomed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            doomed.add(c.sim.propose(leader1));
        }
        assertThat(doomed).allMatch(Proposal::accepted);

        c.one(2); // the other two elect a leader and commit at the same index
        String leader2 = c.checkOneLeader();
        c.disconnect(leader2);
        c.connect(leader1); // the old leader's stale entries must be replaced
        c.one(2);
        c.connect(leader2);
        long index = c.one(3);

        c.sim.runUntil(() -> doomed.stream().allMatch(p -> p.outcome() != null), MitCluster.ELECTION);
        assertThat(doomed).allMatch(p -> p.outcome() == ProposalOutcome.Status.TRUNCATED);
        assertThat(c.nCommitted(index)).isEqualTo(3);
    }
}
