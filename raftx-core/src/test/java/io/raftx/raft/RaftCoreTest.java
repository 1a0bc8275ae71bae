package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaftCoreTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void coldStartElectsLowestRankedNodeInOneRound() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.node("n1").term()).isEqualTo(1);
        assertThat(net.node("n2").leaderId()).isEqualTo("n1");
    }

    @Test
    void proposalsCommitAndApplyEverywhereInOrder() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        Raft leader = net.node(net.leader());
        for (int i = 0; i < 10; i++) {
            assertThat(leader.propose(i, bytes("v" + i)).accepted()).isTrue();
        }
        net.settle();
        net.tickAll(2);
        for (String id : List.of("n1", "n2", "n3")) {
            List<Entry> normal = net.applied.get(id).stream().filter(e -> e.type() == EntryType.NORMAL).toList();
            assertThat(normal).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
        assertThat(net.outcomes).hasSize(10);
        assertThat(net.outcomes.values()).allMatch(o -> o.status() == ProposalOutcome.Status.COMMITTED);
    }

    @Test
    void followerRefusesProposalAndNamesTheLeader() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        ProposeResult r = net.node("n2").propose(1, bytes("x"));
        assertThat(r.accepted()).isFalse();
        assertThat(r.refusal()).isEqualTo(ProposeResult.Refusal.NOT_LEADER);
        assertThat(r.leaderHint()).isEqualTo("n1");
    }

    @Test
    void leaderFailureElectsTheBestRankedSuccessorAndKeepsCommittedEntries() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3", "n4", "n5");
        net.tickAll(30);
        Raft leader = net.node("n1");
        leader.propose(1, bytes("a"));
        net.settle();
        net.tickAll(3);
        net.crash("n1");
        net.tickAll(40);
        String next = net.leader();
        assertThat(next).isNotNull().isNotEqualTo("n1");
        assertThat(net.node(next).term()).isEqualTo(2); // one round: exactly one new term
        assertThat(net.node(next).entries(1, net.node(next).lastIndex()))
                .anyMatch(e -> new String(e.data(), StandardCharsets.UTF_8).equals("a"));
    }

    @Test
    void partitionedNodeRejoinsWithoutDisruptingTheLeader() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        long term = net.node("n1").term();
        net.partition(Set.of("n3"));
        net.tickAll(200);
        // PreVote: the isolated node never won a pre-vote, so it never bumped its term.
        assertThat(net.node("n3").term()).isEqualTo(term);
        net.heal();
        net.tickAll(20);
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.node("n1").term()).isEqualTo(term);
    }

    @Test
    void leaderWithoutQuorumStepsDown() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        net.partition(Set.of("n1"));
        net.tickAll(25);
        assertThat(net.node("n1").role()).isNotEqualTo(Role.LEADER);
    }

    @Test
    void restartedNodeRecoversPersistedLogAndVote() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        net.node("n1").propose(7, bytes("kept"));
        net.settle();
        net.tickAll(2);
        net.crash("n2");
        net.start("n2");
        Raft n2 = net.node("n2");
        assertThat(n2.term()).isEqualTo(1);
        assertThat(n2.entries(1, n2.lastIndex())).anyMatch(e -> new String(e.data(), StandardCharsets.UTF_8).equals("kept"));
        net.tickAll(5);
        assertThat(net.applied.get("n2")).anyMatch(e -> new String(e.data(), StandardCharsets.UTF_8).equals("kept"));
    }
}
