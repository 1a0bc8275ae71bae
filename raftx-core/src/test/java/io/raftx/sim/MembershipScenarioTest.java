package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-written membership changes on the simulator, with every invariant (the single-server change rules included)
 * checked after every step; they double as examples of the membership API.
 */
class MembershipScenarioTest {

    /** Adds {@code id} as a learner, waits until the leader reports it caught up, and promotes it. */
    private static void addVoter(SimCluster c, String id) {
        c.changeMembership(ConfigChange.addLearner(id), 200);
        c.awaitUntil(() -> c.stableLeader() != null && c.stableLeader().raft().followerLag(id) >= 0
                && c.stableLeader().raft().followerLag(id) <= 2, 200, id + " caught up");
        c.changeMembership(ConfigChange.promote(id), 200);
    }

    @Test
    void growFromOneToFiveAndShrinkToThreeUnderWritesRemovingTheLeaderToo() {
        SimCluster c = SimCluster.builder(1).nodes(1).autoSnapshot(new AutoSnapshot(5, 2)).build();
        c.client().startLoad(20, 3);
        c.awaitUntil(() -> c.stableLeader() != null, 100, "a leader");
        c.runTicks(30); // some history, compacted: the new nodes will need a snapshot
        for (int i = 0; i < 4; i++) {
            addVoter(c, c.addJoiningNode().id());
            c.runTicks(10);
        }
        assertThat(c.committedMembership().voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4", "n5");

        String leader = c.stableLeader().id();
        c.changeMembership(ConfigChange.remove(leader), 300); // hands over first
        String follower = c.stableLeader().raft().voters().stream()
                .filter(v -> !v.equals(c.stableLeader().id())).findFirst().orElseThrow();
        c.changeMembership(ConfigChange.remove(follower), 300);
        assertThat(c.committedMembership().voters()).hasSize(3).doesNotContain(leader, follower);

        c.client().stopLoad();
        c.retireNonMembers(100);
        Proposal last = c.proposeUntilCommitted(100);
        c.awaitAppliedEverywhere(last.index(), 100);
        assertThat(c.stats().snapshotsInstalled()).as("joining nodes caught up from a snapshot").isPositive();
        assertThat(c.stats().committedOutcomes()).isGreaterThan(20);
        c.checkFinal();
    }

    @Test
    void aLearnerCountsAsCaughtUpOnlyOnceItAcknowledgedTheLatestConfiguration() {
        SimCluster c = SimCluster.builder(2).nodes(3).build();
        c.proposeUntilCommitted(100);
        SimNode learner = c.addJoiningNode();
        c.crash(learner.id());
        c.changeMembership(ConfigChange.addLearner(learner.id()), 100);
        c.runTicks(20);
        assertThat(c.stableLeader().raft().followerLag(learner.id())).isEqualTo(-1);
        assertThat(learner.isUp()).isFalse();

        c.restart(learner.id());
        c.awaitUntil(() -> c.stableLeader().raft().followerLag(learner.id()) == 0, 50, "the learner caught up");
        assertThat(learner.raft().role()).isEqualTo(Role.FOLLOWER);
        assertThat(learner.raft().voters()).doesNotContain(learner.id());
        c.changeMembership(ConfigChange.promote(learner.id()), 100);
        Proposal p = c.proposeUntilCommitted(100);
        c.awaitAppliedEverywhere(p.index(), 100);
        assertThat(c.committedMembership().voters()).hasSize(4);
    }

    @Test
    void aRemovedNodeThatNeverHearsOfItsRemovalDoesNotDisruptTheCluster() {
        SimCluster c = SimCluster.builder(3).nodes(3).build();
        c.proposeUntilCommitted(100);
        String leader = c.stableLeader().id();
        String removed = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        List<String> rest = c.ids().stream().filter(id -> !id.equals(removed)).toList();
        c.partition(Set.of(removed), rest);
        c.changeMembership(ConfigChange.remove(removed), 100);
        long term = c.stableLeader().raft().term();

        c.heal(); // it still believes it is a voter, times out and asks for (pre-)votes: nobody listens
        c.runTicks(300);
        assertThat(c.node(removed).raft().voters()).contains(removed);
        assertThat(c.stableLeader()).isNotNull();
        assertThat(c.stableLeader().raft().term()).as("the leader was never unseated").isEqualTo(term);
        assertThat(c.node(removed).raft().role()).isNotEqualTo(Role.LEADER);
        Proposal p = c.proposeUntilCommitted(100);
        c.awaitUntil(() -> rest.stream().allMatch(id -> c.node(id).appliedIndex() >= p.index()), 100, "applied");
        c.checkFinal();
    }
}
