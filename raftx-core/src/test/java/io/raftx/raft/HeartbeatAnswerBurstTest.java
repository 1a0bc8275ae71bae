package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A follower whose loop stalled (a restarted node replaying its log) answers every heartbeat queued meanwhile in one
 * burst. The leader resends what may have been lost once per tick, not once per answer: each answer used to send the
 * same probe again, a hundred 1,024-entry appends in one leader pass at nine node processes.
 */
class HeartbeatAnswerBurstTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");

    /** n1 leads with n3 far behind and down: its probe to n3 went out and was lost. */
    private static TestNetwork leaderWithLostProbe() {
        TestNetwork net = TestNetwork.restored(IDS, 1, Map.of(
                "n1", TestNetwork.entries(1, 1, 1, 1, 1, 1, 1, 1),
                "n2", TestNetwork.entries(1, 1, 1, 1, 1, 1, 1, 1),
                "n3", TestNetwork.entries(1)), RaftConfig.of("n1", IDS));
        net.crash("n3");
        net.node("n1").campaign();
        net.settle();
        assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
        return net;
    }

    private static List<Message> appendsTo(String to, Ready rd) {
        List<Message> all = new ArrayList<>(rd.eagerMessages());
        all.addAll(rd.messages());
        return all.stream().filter(m -> m.type() == MessageType.APPEND && m.to().equals(to)).toList();
    }

    private static List<Message> answerHeartbeats(Raft leader, int answers) {
        for (int i = 0; i < answers; i++) {
            leader.step(Message.heartbeatResponse("n3", "n1", leader.term(), 0));
        }
        Ready rd = leader.ready();
        leader.advance(rd);
        return appendsTo("n3", rd);
    }

    @Test
    void aBurstOfHeartbeatAnswersInOneTickResendsTheProbeOnce() {
        TestNetwork net = leaderWithLostProbe();
        Raft leader = net.node("n1");

        assertThat(answerHeartbeats(leader, 100)).hasSize(1);
    }

    @Test
    void theNextTicksAnswerMayResendAgain() {
        TestNetwork net = leaderWithLostProbe();
        Raft leader = net.node("n1");
        assertThat(answerHeartbeats(leader, 3)).hasSize(1);

        leader.tick();
        net.settle(); // the heartbeat round this tick may start reaches n2 only

        assertThat(answerHeartbeats(leader, 3)).hasSize(1); // the probe sent a tick ago was lost too: once more
    }
}
