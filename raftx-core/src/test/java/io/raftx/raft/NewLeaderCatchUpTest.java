package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new leader learns from its voters' grants where their logs end and streams to them from there: a follower that
 * is behind gets what it lacks in the first append, without a refused probe first.
 */
class NewLeaderCatchUpTest {

    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    void votersThatAreBehindGetWhatTheyLackInTheFirstAppend() {
        // Under load the old leader's last appends reached some followers and not others. n2 and n3 answer first and
        // elect n1; the grants of n4 and n5 arrive after it leads, and they are probed from its end as before.
        TestNetwork net = TestNetwork.restored(FIVE, 1, Map.of(
                "n1", TestNetwork.entries(1, 1, 1, 1, 1, 1, 1, 1),
                "n2", TestNetwork.entries(1, 1, 1, 1, 1, 1),
                "n3", TestNetwork.entries(1, 1, 1, 1, 1),
                "n4", TestNetwork.entries(1, 1, 1, 1, 1, 1, 1, 1),
                "n5", TestNetwork.entries(1, 1, 1, 1, 1, 1, 1)), RaftConfig.of("n1", FIVE));

        net.node("n1").campaign();
        net.settle();

        Raft leader = net.node("n1");
        assertThat(leader.role()).isEqualTo(Role.LEADER);
        assertThat(firstAppend(net, "n2").index()).isEqualTo(6);
        assertThat(firstAppend(net, "n3").index()).isEqualTo(5);
        assertThat(firstAppend(net, "n3").entries()).hasSize(4); // entries 6-8 and the no-op
        assertThat(firstAppend(net, "n5").index()).isEqualTo(8); // a late grant: probed from the leader's end
        assertThat(rejectedAppends(net)).extracting(Message::from).containsOnly("n5");
        assertThat(leader.commitIndex()).isEqualTo(9);
        for (String id : FIVE) {
            assertThat(net.node(id).lastIndex()).isEqualTo(9);
            assertThat(net.node(id).entry(9).term()).isEqualTo(leader.term());
        }
    }

    @Test
    void aVoterWhoseLastEntryTheLeaderDoesNotHoldIsProbedAndRepaired() {
        // n3's last entry (index 4, term 1) was never committed and the leader has another entry at index 4.
        TestNetwork net = TestNetwork.restored(List.of("n1", "n2", "n3"), 2, Map.of(
                "n1", TestNetwork.entries(1, 1, 1, 2, 2),
                "n2", TestNetwork.entries(1, 1, 1, 2, 2),
                "n3", TestNetwork.entries(1, 1, 1, 1)), RaftConfig.of("n1", List.of("n1", "n2", "n3")));
        net.drop = m -> m.to().equals("n2"); // n3 alone elects n1

        net.node("n1").campaign();
        net.settle();

        Raft leader = net.node("n1");
        assertThat(leader.role()).isEqualTo(Role.LEADER);
        assertThat(firstAppend(net, "n3").index()).isEqualTo(5); // probes from its own end, as without a known end
        assertThat(rejectedAppends(net)).extracting(Message::from).containsOnly("n3");
        assertThat(net.node("n3").entry(4).term()).isEqualTo(2);
        assertThat(net.node("n3").lastIndex()).isEqualTo(leader.lastIndex());
        assertThat(leader.commitIndex()).isEqualTo(leader.lastIndex());
    }

    private static List<Message> rejectedAppends(TestNetwork net) {
        return net.delivered.stream().filter(m -> m.type() == MessageType.APPEND_RESPONSE && m.reject()).toList();
    }

    private static Message firstAppend(TestNetwork net, String to) {
        return net.delivered.stream().filter(m -> m.type() == MessageType.APPEND && m.to().equals(to)).findFirst()
                .orElseThrow();
    }
}
