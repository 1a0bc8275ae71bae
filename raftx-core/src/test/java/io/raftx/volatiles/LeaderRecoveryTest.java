package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderRecoveryTest {

    private static FollowerProgress reported(String id, long historyEpoch, long lastIndex) {
        FollowerProgress p = new FollowerProgress(id);
        p.report(1, historyEpoch, lastIndex, 0);
        return p;
    }

    private static final VoterConfigs THREE = configs(Set.of("n1", "n2", "n3"));

    private static VoterConfigs configs(Set<String> voters) {
        return new VoterConfigs("n1", new VoterConfigs.Config(voters, 0));
    }

    private static LeaderRecovery.Report self(long historyEpoch, long lastIndex) {
        return new LeaderRecovery.Report("n1", historyEpoch, lastIndex);
    }

    @Test
    void prefersTheLatestEpochOverTheLongestHistory() {
        var best = LeaderRecovery.chooseBest(self(2, 10), List.of(reported("n2", 3, 4), reported("n3", 2, 50)), THREE);
        assertThat(best.id()).isEqualTo("n2");
    }

    @Test
    void thenTheLongestAndOnATieKeepsItsOwn() {
        assertThat(LeaderRecovery.chooseBest(self(3, 4), List.of(reported("n2", 3, 9)), THREE).id()).isEqualTo("n2");
        assertThat(LeaderRecovery.chooseBest(self(3, 9), List.of(reported("n2", 3, 9)), THREE).id()).isEqualTo("n1");
    }

    @Test
    void nodesWithoutMemoryDoNotCountTowardsTheMajority() {
        assertThat(LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 2, 5)), THREE)).isNull();
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 0, 0)), THREE)).isNull();
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5)), THREE).id()).isEqualTo("n2");
    }

    @Test
    void withEveryVoterReportedItDecidesEvenWithoutAMajorityWithMemory() {
        var best = LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 0, 0), reported("n3", 4, 7)), THREE);
        assertThat(best.id()).isEqualTo("n3");
        var coldStart = LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 0, 0), reported("n3", 0, 0)), THREE);
        assertThat(coldStart.id()).isEqualTo("n1");
    }

    @Test
    void afterAMembershipChangeItNeedsAMajorityOfEveryCountedConfiguration() {
        VoterConfigs joint = configs(Set.of("n1", "n2", "n3"));
        joint.add(new VoterConfigs.Config(Set.of("n1", "n2", "n3", "n4", "n5"), 7)); // two voters added (joint)
        // n1 and n2 are a majority of the old voters, not of the new ones
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5)), joint)).isNull();
        var best = LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5), reported("n4", 2, 1)), joint);
        assertThat(best.id()).isEqualTo("n2");
        joint.committedUpTo(7); // the new configuration alone counts now
        assertThat(joint.all()).hasSize(1);
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n4", 2, 1), reported("n5", 2, 9)), joint)
                .id()).isEqualTo("n5");
    }

    @Test
    void aLeaderOutsideTheConfigurationDoesNotCountItself() {
        VoterConfigs without = configs(Set.of("n2", "n3", "n4"));
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5)), without)).isNull();
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5), reported("n3", 2, 4)), without)
                .id()).isEqualTo("n2");
    }
}
