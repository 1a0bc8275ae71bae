package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-written scenarios on the simulator; they double as examples of its API. The invariant checker runs after
 * every step of every scenario, so each test also asserts all of Raft's safety properties along the way.
 */
class SimClusterScenarioTest {

    @Test
    void aLeaderCutOffWithAMinorityCannotCommitAndItsEntryIsTruncatedAfterHealing() {
        SimCluster c = SimCluster.builder(1).nodes(5).build();
        c.awaitUntil(() -> c.stableLeader() != null, 100, "a leader");
        String old = c.stableLeader().id();
        String buddy = c.ids().stream().filter(id -> !id.equals(old)).findFirst().orElseThrow();
        List<String> majority = c.ids().stream().filter(id -> !id.equals(old) && !id.equals(buddy)).toList();

        c.partition(Set.of(old, buddy), majority);
        Proposal doomed = c.propose(old);
        assertThat(doomed.accepted()).isTrue();
        c.awaitUntil(() -> majority.stream().anyMatch(id -> c.node(id).raft().role() == Role.LEADER), 100,
                "a leader on the majority side");
        Proposal kept = c.proposeUntilCommitted(100);
        assertThat(doomed.outcome()).isNull(); // the old leader cannot know yet

        c.heal();
        Proposal after = c.proposeUntilCommitted(100);
        c.awaitAppliedEverywhere(after.index(), 100);
        c.awaitUntil(() -> doomed.outcome() != null, 100, "the cut-off proposal's fate");
        assertThat(doomed.outcome()).isEqualTo(ProposalOutcome.Status.TRUNCATED);
        assertThat(kept.isCommitted()).isTrue();
        c.checkFinal();
    }

    @Test
    void crashesInsideTheReadyContractLoseNothingThatWasPromised() {
        SimCluster c = SimCluster.builder(2).nodes(3).build();
        c.proposeUntilCommitted(100);
        for (CrashPoint point : CrashPoint.values()) {
            String leader = c.stableLeader().id();
            c.crash(leader, point); // NOW, or inside its next Ready: the one carrying this proposal
            if (c.node(leader).isUp()) {
                c.propose(leader);
            }
            c.runTicks(30);
            c.restart(leader);
            Proposal p = c.proposeUntilCommitted(100);
            c.awaitAppliedEverywhere(p.index(), 100);
        }
        c.checkFinal();
    }

    @Test
    void aLaggingFollowerCatchesUpFromASnapshotAndReadsStayLinearizable() {
        SimCluster c = SimCluster.builder(3).nodes(3).build();
        c.awaitUntil(() -> c.stableLeader() != null, 100, "a leader");
        String leader = c.stableLeader().id();
        String lagging = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        c.crash(lagging);
        for (int i = 0; i < 30; i++) {
            c.proposeUntilCommitted(100);
        }
        assertThat(c.snapshotAndCompact(leader, 5)).isTrue();
        c.restart(lagging);
        Proposal p = c.proposeUntilCommitted(100);
        c.awaitAppliedEverywhere(p.index(), 100);
        assertThat(c.node(lagging).storage().snapshotIndex()).isPositive();
        assertThat(c.readIndex(leader)).isTrue(); // the answer is checked against every earlier commit on arrival
        c.runTicks(5);
        assertThat(c.stats().readsConfirmed()).isEqualTo(1);
        c.checkFinal();
    }
}
