package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderSilenceTest {

    private static final RaftConfig DEFAULTS = RaftConfig.of("n1", List.of("n1", "n2", "n3"));
    private static final int WINDOW = DEFAULTS.silenceWindowTicks();

    private static void ticks(LeaderSilence s, int n) {
        for (int i = 0; i < n; i++) {
            s.tick(0);
        }
    }

    @Test
    void startsAtTheHighestThresholdUntilAWholeWindowWasSeen() {
        LeaderSilence s = new LeaderSilence(DEFAULTS);
        s.heard(1, 2);
        assertThat(s.thresholdTicks()).isEqualTo(DEFAULTS.electionTicks() - 1);
        ticks(s, WINDOW);
        assertThat(s.thresholdTicks()).as("heartbeats 2 ticks apart: the floor").isEqualTo(4);
    }

    @Test
    void aLongerGapRaisesTheThresholdForTwoWindowsAtMost() {
        LeaderSilence s = new LeaderSilence(DEFAULTS);
        s.heard(1, 0);
        ticks(s, WINDOW);
        s.heard(1, 5);
        assertThat(s.thresholdTicks()).as("the gap plus a heartbeat interval").isEqualTo(7);
        ticks(s, WINDOW);
        assertThat(s.thresholdTicks()).as("still seen in the previous window").isEqualTo(7);
        s.heard(1, 1);
        ticks(s, WINDOW);
        assertThat(s.thresholdTicks()).isEqualTo(4);
    }

    /** Time passes in every role: a node that led for two windows has forgotten the gaps it learnt before. */
    @Test
    void whatWasLearntAgesWhileThisNodeLeads() {
        LeaderSilence s = new LeaderSilence(DEFAULTS);
        s.heard(1, 0);
        ticks(s, WINDOW);
        s.heard(1, 5);
        assertThat(s.thresholdTicks()).isEqualTo(7);
        for (int i = 0; i < 2 * WINDOW; i++) {
            s.passTime(); // leading: no messages from a leader, no silence to count
        }
        assertThat(s.thresholdTicks()).isEqualTo(4);

        LeaderSilence first = new LeaderSilence(DEFAULTS); // the first leader after a start
        for (int i = 0; i < WINDOW; i++) {
            first.passTime();
        }
        assertThat(first.thresholdTicks()).as("past the starting ceiling").isEqualTo(4);
    }

    @Test
    void reportsOncePerSilenceAndIgnoresTheGapAcrossAnElection() {
        LeaderSilence s = new LeaderSilence(DEFAULTS);
        s.heard(1, 0);
        ticks(s, WINDOW);
        s.heard(1, 2);
        assertThat(s.tick(3)).isFalse();
        assertThat(s.tick(4)).as("silent for the threshold").isTrue();
        assertThat(s.tick(5)).as("once").isFalse();
        s.heard(2, 9); // the new leader's first message: the election's gap is not the leader's
        assertThat(s.thresholdTicks()).isEqualTo(4);
        assertThat(s.tick(4)).as("a new silence").isTrue();
    }

    @Test
    void neverReachesTheElectionTimeout() {
        LeaderSilence s = new LeaderSilence(DEFAULTS);
        s.heard(1, 0);
        ticks(s, WINDOW);
        s.heard(1, 40);
        assertThat(s.thresholdTicks()).isEqualTo(DEFAULTS.electionTicks() - 1);
        assertThat(new LeaderSilence(DEFAULTS.withSilentLeaderTicks(0)).enabled()).isFalse();
    }
}
