package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadAndTransferTest {

    private static TestNetwork elected() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    @Test
    void readIndexBatchesReadsIntoOneHeartbeatRound() {
        TestNetwork net = elected();
        net.node("n1").propose(1, new byte[] {1});
        net.settle();
        int before = net.delivered.size();
        for (long id = 100; id < 110; id++) {
            assertThat(net.node("n1").readIndex(id)).isTrue();
        }
        net.settle();
        assertThat(net.reads).hasSize(10);
        assertThat(net.reads.values()).allMatch(ReadState::ok)
                .allMatch(r -> r.index() == net.node("n1").commitIndex());
        long heartbeats = net.delivered.subList(before, net.delivered.size()).stream()
                .filter(m -> m.type() == MessageType.HEARTBEAT).count();
        assertThat(heartbeats).isEqualTo(2); // one round to two followers confirms all ten reads
    }

    @Test
    void followerRefusesReadIndex() {
        TestNetwork net = elected();
        assertThat(net.node("n2").readIndex(1)).isFalse();
    }

    @Test
    void isolatedLeaderNeverConfirmsReadsAndFailsThemWhenSteppingDown() {
        TestNetwork net = elected();
        net.partition(Set.of("n1"));
        net.node("n1").readIndex(7);
        net.tickAll(25);
        assertThat(net.reads.get(7L)).isNotNull().extracting(ReadState::ok).isEqualTo(false);
        assertThat(net.node("n1").leaseValid()).isFalse();
    }

    @Test
    void leaseHoldsWhileMajorityAnswersAndLapsesWithoutIt() {
        java.util.List<String> ids = java.util.List.of("n1", "n2", "n3");
        TestNetwork net = new TestNetwork(ids, id -> RaftConfig.of(id, ids).withLeaseReads(true));
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        net.tickAll(2);
        assertThat(net.node("n1").leaseValid()).isTrue();
        net.partition(Set.of("n1"));
        net.tickAll(9);
        assertThat(net.node("n1").leaseValid()).isFalse();
    }

    @Test
    void transferHandsLeadershipToTheTargetAndRefusesProposalsMeanwhile() {
        TestNetwork net = elected();
        net.node("n1").transferLeadership("n3");
        net.settle();
        assertThat(net.leader()).isEqualTo("n3");
        assertThat(net.node("n3").term()).isEqualTo(2);
        assertThat(net.node("n1").role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void transferToALaggingTargetCatchesItUpFirst() {
        TestNetwork net = elected();
        net.partition(Set.of("n3"));
        for (int i = 0; i < 20; i++) {
            net.node("n1").propose(i, new byte[] {(byte) i});
        }
        net.settle();
        net.node("n1").transferLeadership("n3");
        ProposeResult refused = net.node("n1").propose(99, new byte[0]);
        assertThat(refused.refusal()).isEqualTo(ProposeResult.Refusal.TRANSFERRING);
        net.heal();
        net.tickAll(3);
        assertThat(net.leader()).isEqualTo("n3");
        assertThat(net.node("n3").lastIndex()).isGreaterThanOrEqualTo(21);
    }

    @Test
    void failedTransferResumesAfterAnElectionTimeout() {
        TestNetwork net = elected();
        net.drop = m -> m.to().equals("n3") && m.from().equals("n1") && m.type() == MessageType.TIMEOUT_NOW;
        net.node("n1").transferLeadership("n3");
        net.tickAll(11);
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.node("n1").propose(5, new byte[0]).accepted()).isTrue();
    }

    @Test
    void transferTargetMustBeAnotherVoter() {
        TestNetwork net = elected();
        assertThatThrownBy(() -> net.node("n1").transferLeadership("n9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voting member");
        assertThatThrownBy(() -> net.node("n2").transferLeadership("n3"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not the leader");
    }
}
