package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A leader's CheckQuorum and late ticks ({@link Raft#tickLate}): after a pause of the leader's process, its missed
 * ticks run back to back ahead of the followers' answers that arrived meanwhile. Such ticks must not depose it, yet a
 * leader whose ticks all come late must still step down once it is cut off.
 */
class LatePauseCheckQuorumTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");
    private static final int TIMEOUT = RaftConfig.of("n1", IDS).electionTicks();

    private static TestNetwork elected() {
        TestNetwork net = new TestNetwork(IDS, id -> RaftConfig.of(id, IDS));
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
        return net;
    }

    /**
     * Just after its followers answered, two election timeouts of ticks run back to back, nothing delivered in
     * between (the answers to the heartbeats they send are still queued behind them): late ones leave the leader in
     * place (the window, deferred to its bound, counts the answers from before the pause); the same burst of
     * on-time ticks is a leader that heard from no one for a whole window, and it steps down. Then the answers arrive
     * and the leader goes on in its term.
     */
    @Test
    void missedTicksRunAheadOfTheAnswersDoNotDeposeTheLeader() {
        for (boolean late : new boolean[] {true, false}) {
            TestNetwork net = elected();
            Raft leader = net.node("n1");
            long term = leader.term();
            leader.propose(1, new byte[] {1}); // the followers' answers mark them active in the current window
            net.settle();
            for (int i = 0; i < 2 * TIMEOUT; i++) {
                if (late) {
                    leader.tickLate();
                } else {
                    leader.tick();
                }
            }
            if (!late) {
                assertThat(leader.role()).as("on-time ticks without answers").isNotEqualTo(Role.LEADER);
                continue;
            }
            assertThat(leader.role()).as("late ticks").isEqualTo(Role.LEADER);
            net.settle(); // the heartbeats go out, the answers come back
            net.tickAll(3 * TIMEOUT);
            assertThat(net.leader()).isEqualTo("n1");
            assertThat(leader.term()).isEqualTo(term);
        }
    }

    /** Deferring the check is bounded: a leader cut off from its followers whose ticks all come late steps down. */
    @Test
    void aCutOffLeaderWhoseTicksAllComeLateStillStepsDown() {
        TestNetwork net = elected();
        Raft leader = net.node("n1");
        net.partition(Set.of("n1"));
        int ticks = 0;
        while (leader.role() == Role.LEADER && ticks < 10 * TIMEOUT) {
            leader.tickLate();
            net.settle();
            ticks++;
        }
        assertThat(leader.role()).isNotEqualTo(Role.LEADER);
        assertThat(ticks).as("at most two deferred windows: one that may still count answers from before the cut, "
                + "one without any").isLessThanOrEqualTo(4 * TIMEOUT);
    }
}
