package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderRecoveryTest {

    private static FollowerProgress reported(String id, long historyEpoch, long lastIndex) {
        FollowerProgress p = new FollowerProgress(id);
        p.report(1, historyEpoch, lastIndex, 0);
        return p;
    }

    private static LeaderRecovery.Report self(long historyEpoch, long lastIndex) {
        return new LeaderRecovery.Report("n1", historyEpoch, lastIndex);
    }

    @Test
    void prefersTheLatestEpochOverTheLongestHistory() {
        var best = LeaderRecovery.chooseBest(self(2, 10), List.of(reported("n2", 3, 4), reported("n3", 2, 50)), 3, 2);
        assertThat(best.id()).isEqualTo("n2");
    }

    @Test
    void thenTheLongestAndOnATieKeepsItsOwn() {
        assertThat(LeaderRecovery.chooseBest(self(3, 4), List.of(reported("n2", 3, 9)), 3, 2).id()).isEqualTo("n2");
        assertThat(LeaderRecovery.chooseBest(self(3, 9), List.of(reported("n2", 3, 9)), 3, 2).id()).isEqualTo("n1");
    }

    @Test
    void nodesWithoutMemoryDoNotCountTowardsTheMajority() {
        assertThat(LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 2, 5)), 3, 2)).isNull();
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 0, 0)), 3, 2)).isNull();
        assertThat(LeaderRecovery.chooseBest(self(2, 3), List.of(reported("n2", 2, 5)), 3, 2).id()).isEqualTo("n2");
    }

    @Test
    void withEveryVoterReportedItDecidesEvenWithoutAMajorityWithMemory() {
        var best = LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 0, 0), reported("n3", 4, 7)), 3, 2);
        assertThat(best.id()).isEqualTo("n3");
        var coldStart = LeaderRecovery.chooseBest(self(0, 0), List.of(reported("n2", 0, 0), reported("n3", 0, 0)), 3, 2);
        assertThat(coldStart.id()).isEqualTo("n1");
    }
}
