package io.raftx.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoreWarmUpTest {

    @Test
    void theThrowawayClusterElectsALeaderCommitsEveryProposalAndFailsOverToASuccessor() {
        // the no-op of the first leader's term, 4 rounds of 8 proposals, then the successor's no-op and one proposal:
        // the leader paths, the early start after the reports and a follower's takeover really ran
        assertThat(CoreWarmUp.run()).isEqualTo(35);
    }
}
