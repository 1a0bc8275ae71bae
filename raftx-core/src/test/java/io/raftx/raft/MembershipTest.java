package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static TestNetwork elected() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    private static void change(TestNetwork net, long id, ConfigChange c) {
        ProposeResult r = net.node(net.leader()).proposeConfigChange(id, c);
        assertThat(r.accepted()).as("%s accepted: %s", c, r).isTrue();
        net.settle();
        net.tickAll(3);
    }

    @Test
    void newNodeWaitsUntilAddedThenCatchesUpAsLearnerAndVotesOncePromoted() {
        TestNetwork net = elected();
        net.addNode("n4", RaftConfig.of("n4", List.of()));
        net.tickAll(40);
        assertThat(net.node("n4").role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node("n4").term()).isZero(); // never campaigned: it is not a member yet

        change(net, 1, ConfigChange.addLearner("n4"));
        assertThat(net.node("n4").lastIndex()).isEqualTo(net.node("n1").lastIndex());
        assertThat(net.node("n4").membership().learners()).containsExactly("n4");
        assertThat(net.node("n1").followerLag("n4")).isZero();

        change(net, 2, ConfigChange.promote("n4"));
        assertThat(net.node("n1").voters()).containsExactly("n1", "n2", "n3", "n4");
        // With four voters a majority is three: losing two followers stops commits.
        net.partition(Set.of("n3", "n4"));
        long commit = net.node("n1").commitIndex();
        net.node("n1").propose(9, new byte[] {9});
        net.settle();
        assertThat(net.node("n1").commitIndex()).isEqualTo(commit);
        net.heal();
        net.tickAll(3);
        assertThat(net.node("n1").commitIndex()).isGreaterThan(commit);
    }

    @Test
    void onlyOneChangeAtATime() {
        TestNetwork net = elected();
        net.drop = m -> true; // keep the first change uncommitted
        assertThat(net.node("n1").proposeConfigChange(1, ConfigChange.addLearner("n4")).accepted()).isTrue();
        ProposeResult second = net.node("n1").proposeConfigChange(2, ConfigChange.addLearner("n5"));
        assertThat(second.refusal()).isEqualTo(ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS);
    }

    @Test
    void invalidChangesAreRejectedWithClearMessages() {
        TestNetwork net = elected();
        assertThatThrownBy(() -> net.node("n1").proposeConfigChange(1, ConfigChange.promote("n9")))
                .hasMessageContaining("not a learner");
        assertThatThrownBy(() -> net.node("n1").proposeConfigChange(1, ConfigChange.addLearner("n2")))
                .hasMessageContaining("already a member");
        assertThatThrownBy(() -> net.node("n1").proposeConfigChange(1, ConfigChange.addLearner("bad id!")))
                .hasMessageContaining("invalid node id");
    }

    @Test
    void removedFollowerIsNoLongerReplicatedToAndCannotDisrupt() {
        TestNetwork net = elected();
        change(net, 1, ConfigChange.remove("n3"));
        assertThat(net.node("n1").voters()).containsExactly("n1", "n2");
        long n3Last = net.node("n3").lastIndex();
        net.node("n1").propose(5, new byte[] {5});
        net.settle();
        net.tickAll(40);
        assertThat(net.node("n3").lastIndex()).isEqualTo(n3Last);
        assertThat(net.leader()).isEqualTo("n1"); // n3's campaigns (if any) were refused
        assertThat(net.node("n1").commitIndex()).isEqualTo(net.node("n1").lastIndex());
    }

    @Test
    void removedLeaderStepsDownAndTheRestElectANewOne() {
        TestNetwork net = elected();
        change(net, 1, ConfigChange.remove("n1"));
        assertThat(net.node("n1").role()).isNotEqualTo(Role.LEADER);
        net.tickAll(40);
        String leader = net.leader();
        assertThat(leader).isIn("n2", "n3");
        assertThat(net.node(leader).voters()).containsExactly("n2", "n3");
        assertThat(net.outcomes.get(1L).status()).isEqualTo(ProposalOutcome.Status.COMMITTED);
    }

    @Test
    void membershipRoundTripsThroughItsEncoding() {
        Membership m = new Membership(Set.of("a", "b"), Set.of("c"), java.util.Map.of("a", "127.0.0.1:7101", "c", "[::1]:7103"));
        assertThat(Membership.decode(m.encode())).isEqualTo(m);
        assertThat(m.apply(ConfigChange.addLearner("d", "host-d:7104")).address("d")).isEqualTo("host-d:7104");
        assertThat(m.apply(ConfigChange.remove("a")).address("a")).isNull();
        assertThatThrownBy(() -> m.apply(ConfigChange.addLearner("e", "no-port"))).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Membership.decode("nonsense".getBytes())).hasMessageContaining("not a membership record");
    }
}
