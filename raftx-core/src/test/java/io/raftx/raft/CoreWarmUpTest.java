package io.raftx.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoreWarmUpTest {

    @Test
    void theThrowawayClusterElectsALeaderAndCommitsEveryProposal() {
        // the no-op of the leader's term plus 4 rounds of 8 proposals: the leader paths really ran
        assertThat(CoreWarmUp.run()).isEqualTo(33);
    }
}
