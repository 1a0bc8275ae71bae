package io.raftx.volatiles;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VolatileWarmUpTest {

    @Test
    void theThrowawayKeyspaceRecoversALeaderAndAppliesEveryWrite() {
        assertThat(VolatileWarmUp.run()).isEqualTo(16);
    }
}
