package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VolatileScenarioTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(VolatileValue v) {
        return v == null ? null : new String(v.bytes(), StandardCharsets.UTF_8);
    }

    /** Three nodes with n1 as the recovered leader of term 1. */
    private static VolatileCluster threeNodes(int ringCapacity) {
        VolatileCluster c = new VolatileCluster(3, cfg -> cfg.withRingCapacity(ringCapacity));
        c.elect("n1", null, true);
        c.settle();
        assertThat(c.node("n1").isActiveLeader()).isTrue();
        return c;
    }

    @Test
    void writesCommitOnAMajorityAndApplyEverywhereInOrderWithEvents() {
        VolatileCluster c = threeNodes(100);
        for (int i = 0; i < 10; i++) {
            assertThat(c.write(VolatileOp.put("k" + (i % 3), bytes("v" + i), 0)).accepted()).isTrue();
        }
        c.tickAll(2);
        assertThat(c.outcomes.values()).hasSize(10).allMatch(o -> o.status() == WriteOutcome.Status.COMMITTED);
        for (VolatileReplica n : c.live()) {
            assertThat(n.appliedIndex()).isEqualTo(10);
            assertThat(text(n.localGet("k0"))).isEqualTo("v9");
            List<VolatileEvent> events = c.events.get(n.id());
            assertThat(events).hasSize(10).allMatch(VolatileEvent::volatileData);
            assertThat(events.get(3).type()).isEqualTo(OpType.PUT);
            assertThat(text(events.get(3).prev())).isEqualTo("v0");
            assertThat(text(events.get(3).value())).isEqualTo("v3");
        }
    }

    @Test
    void followerRefusesWritesAndNamesTheLeader() {
        VolatileCluster c = threeNodes(100);
        Admission a = c.write("n2", VolatileOp.put("k", bytes("v"), 0));
        assertThat(a.refusal()).isEqualTo(Admission.Refusal.NOT_LEADER);
        assertThat(a.leaderHint()).isEqualTo("n1");
    }

    @Test
    void acknowledgedWriteSurvivesTheLeaderCrashingRightAfterTheAck() {
        VolatileCluster c = threeNodes(100);
        c.partition(Set.of("n3")); // only n2 will hold the write besides the leader
        Admission a = c.write(VolatileOp.put("k", bytes("acked"), 0));
        c.settle();
        assertThat(c.outcomes.get(1L).status()).isEqualTo(WriteOutcome.Status.COMMITTED);
        c.crash("n1");
        c.heal();
        c.elect("n3", null, true); // n3 never saw the write; it must fetch it from n2
        c.tickAll(5);
        assertThat(c.node("n3").isActiveLeader()).isTrue();
        for (String id : List.of("n2", "n3")) {
            assertThat(text(c.node(id).localGet("k"))).isEqualTo("acked");
            assertThat(c.node(id).appliedIndex()).isEqualTo(a.index());
        }
    }

    @Test
    void newLeaderWaitsForAMajorityWithMemoryInsteadOfTrustingRestartedNodes() {
        VolatileCluster c = threeNodes(100);
        c.partition(Set.of("n3"));
        c.write(VolatileOp.put("k", bytes("acked"), 0));
        c.settle();
        assertThat(c.outcomes.get(1L).status()).isEqualTo(WriteOutcome.Status.COMMITTED);
        c.crash("n1");
        c.restart("n1");                  // back without memory
        c.partition(Set.of("n2"));        // the only other holder is cut off
        c.elect("n3", null, true);        // n3 and n1 form a Raft majority, but only n3 has volatile memory
        c.tickAll(30);
        assertThat(c.node("n3").isActiveLeader()).isFalse();
        assertThat(c.write("n3", VolatileOp.put("x", bytes("y"), 0)).refusal()).isEqualTo(Admission.Refusal.RECOVERING);
        c.heal();
        c.tickAll(5);
        assertThat(c.node("n3").isActiveLeader()).isTrue();
        for (VolatileReplica n : c.live()) {
            assertThat(text(n.localGet("k"))).isEqualTo("acked");
        }
    }

    @Test
    void reconnectWithinTheRingBufferCatchesUpByReplay() {
        VolatileCluster c = threeNodes(100);
        c.partition(Set.of("n3"));
        for (int i = 0; i < 20; i++) {
            c.write(VolatileOp.put("k" + i, bytes("v" + i), 0));
        }
        c.tickAll(3);
        c.elect("n2", null, true); // a new epoch meanwhile: n3 comes back to an epoch it never synced with
        c.tickAll(3);
        c.write(VolatileOp.put("after", bytes("x"), 0));
        c.heal();
        c.tickAll(5);
        assertThat(c.converged()).isTrue();
        assertThat(c.snapshotsSent).isZero();
        assertThat(c.opsReplayed).isGreaterThanOrEqualTo(20);
        assertThat(c.node("n3").localEntries()).isEqualTo(c.node("n2").localEntries()).hasSize(21);
    }

    @Test
    void reconnectWithinTheRingInTheSameEpochIsReplayedByAppends() {
        VolatileCluster c = threeNodes(100);
        c.partition(Set.of("n3"));
        for (int i = 0; i < 30; i++) {
            c.write(VolatileOp.put("k" + i, bytes("v" + i), 0));
        }
        c.tickAll(3);
        c.heal();
        c.tickAll(5);
        assertThat(c.converged()).isTrue();
        assertThat(c.snapshotsSent).isZero();
        assertThat(c.node("n3").localEntries()).hasSize(30);
    }

    @Test
    void reconnectBeyondTheRingBufferGetsASnapshotAndLosesNothing() {
        VolatileCluster c = threeNodes(8);
        c.partition(Set.of("n3"));
        for (int i = 0; i < 50; i++) {
            c.write(VolatileOp.put("k" + (i % 12), bytes("v" + i), 0));
            c.settle();
        }
        assertThat(c.node("n1").firstRetainedIndex()).isGreaterThan(1);
        c.heal();
        c.tickAll(5);
        assertThat(c.converged()).isTrue();
        assertThat(c.snapshotsSent).isPositive();
        assertThat(c.node("n3").localEntries()).isEqualTo(c.node("n1").localEntries()).hasSize(12);
        assertThat(c.node("n3").appliedIndex()).isEqualTo(50);
    }

    @Test
    void ttlExpiryIsDecidedByTheLeaderAndIdenticalOnAllReplicas() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("session", bytes("s"), 5));
        c.write(VolatileOp.addToSet("online", "alice", 3));
        c.write(VolatileOp.addToSet("online", "bob", 0));
        c.write(VolatileOp.put("refreshed", bytes("1"), 6));
        c.settle();
        c.tickAll(4);
        c.write(VolatileOp.put("refreshed", bytes("2"), 6)); // restarts its TTL: the old deadline must not remove it
        c.tickAll(5);
        for (VolatileReplica n : c.live()) {
            assertThat(n.localGet("session")).isNull();
            assertThat(n.localGet("online").members()).containsExactly("bob");
            assertThat(text(n.localGet("refreshed"))).isEqualTo("2");
            assertThat(c.events.get(n.id())).filteredOn(e -> e.cause() == VolatileEvent.Cause.EXPIRED)
                    .extracting(VolatileEvent::key).containsExactlyInAnyOrder("online", "session");
        }
        c.tickAll(5);
        for (VolatileReplica n : c.live()) {
            assertThat(n.localGet("refreshed")).isNull();
        }
    }

    @Test
    void followersNeverExpireOnTheirOwn() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("k", bytes("v"), 3));
        c.settle();
        c.tickAll(1);
        c.partition(Set.of("n1")); // the leader decides expiry but cannot commit it now
        c.tickAll(20);
        assertThat(c.node("n2").localGet("k")).isNotNull();
        assertThat(c.node("n3").localGet("k")).isNotNull();
        c.heal();
        c.tickAll(3);
        for (VolatileReplica n : c.live()) {
            assertThat(n.localGet("k")).isNull();
        }
    }

    @Test
    void restartedNodeHoldsNoDataAndReportsEpochZeroUntilSynced() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("k", bytes("v"), 0));
        c.tickAll(2);
        c.crash("n3");
        c.restart("n3");
        VolatileReplica n3 = c.node("n3");
        assertThat(n3.historyEpoch()).isZero();
        assertThat(n3.isSynced()).isFalse();
        assertThat(n3.localEntries()).isEmpty();
        assertThat(n3.localGet("k")).isNull();
        c.deliverAllNotices();
        c.tickAll(2);
        assertThat(n3.historyEpoch()).isEqualTo(1);
        assertThat(text(n3.localGet("k"))).isEqualTo("v");
    }

    @Test
    void writeWithoutAMajorityFailsClearly() {
        VolatileCluster c = threeNodes(100);
        c.partition(Set.of("n1"));
        Admission pending = c.write(VolatileOp.put("k", bytes("v"), 0));
        assertThat(pending.accepted()).isTrue();
        c.tickAll(11);
        Admission refused = c.write(VolatileOp.put("k", bytes("w"), 0));
        assertThat(refused.refusal()).isEqualTo(Admission.Refusal.NO_QUORUM);
        assertThat(refused.refusal().description()).contains("majority");
        c.tickAll(50);
        assertThat(c.outcomes.get(1L).status()).isEqualTo(WriteOutcome.Status.UNKNOWN_TIMED_OUT);
    }

    @Test
    void strongReadsGoThroughAConfirmedLeaderAndNeverReturnStaleData() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("k", bytes("old"), 0));
        c.settle();
        long readId = c.nextRequestId;
        assertThat(c.readStrong("n1", "k").accepted()).isTrue();
        c.settle();
        assertThat(c.reads.get(readId).ok()).isTrue();
        assertThat(text(c.reads.get(readId).value())).isEqualTo("old");
        assertThat(c.readStrong("n2", "k").refusal()).isEqualTo(Admission.Refusal.NOT_LEADER);

        c.partition(Set.of("n1"));       // the old leader does not hear of the new term yet
        c.elect("n2", null, false);
        c.deliverNotice(c.notices.indexOf(new VolatileCluster.RaftNotice("n3", c.raftTerm, "n2")));
        c.tickAll(3);
        c.write("n2", VolatileOp.put("k", bytes("new"), 0));
        c.tickAll(2);
        long staleRead = c.nextRequestId;
        assertThat(c.readStrong("n1", "k").accepted()).isTrue(); // n1 still believes it leads
        c.heal();
        c.tickAll(60);
        assertThat(c.reads.get(staleRead).ok()).isFalse();
    }

    @Test
    void divergentUncommittedSuffixIsTruncatedAndItsWritesReportedUnknown() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("base", bytes("b"), 0));
        c.settle();
        c.partition(Set.of("n1"));
        c.write(VolatileOp.put("lost", bytes("x"), 0)); // only the old leader holds it
        c.settle();
        c.elect("n2", null, false);
        c.deliverNotice(c.notices.indexOf(new VolatileCluster.RaftNotice("n3", c.raftTerm, "n2")));
        c.tickAll(3);
        c.write(VolatileOp.put("winner", bytes("w"), 0));
        c.heal();
        c.deliverAllNotices();
        c.tickAll(5);
        assertThat(c.converged()).isTrue();
        assertThat(c.node("n1").localGet("lost")).isNull();
        assertThat(text(c.node("n1").localGet("winner"))).isEqualTo("w");
        assertThat(c.outcomes.get(2L).status()).isEqualTo(WriteOutcome.Status.UNKNOWN_LEADERSHIP_LOST);
    }

    @Test
    void afterAMajorityLostItsMemoryEveryVoterMustAnswerAndWhatSurvivorsHoldIsKept() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("k", bytes("v"), 0));
        c.tickAll(2);
        c.crash("n1");
        c.crash("n2");
        c.restart("n1");
        c.restart("n2");
        c.partition(Set.of("n3"));
        c.elect("n1", null, true);
        c.tickAll(20);
        assertThat(c.node("n1").isActiveLeader()).isFalse(); // n1 and n2 cannot vouch for anything
        c.heal();
        c.tickAll(5);
        assertThat(c.converged()).isTrue();
        for (VolatileReplica n : c.live()) {
            assertThat(text(n.localGet("k"))).isEqualTo("v");
        }
    }

    @Test
    void brandNewClusterStartsOnceEveryVoterAnswered() {
        VolatileCluster c = new VolatileCluster(3, cfg -> cfg);
        c.crash("n3");
        c.elect("n1", null, true);
        c.tickAll(20);
        assertThat(c.node("n1").isActiveLeader()).isFalse();
        c.restart("n3");
        c.deliverAllNotices();
        c.tickAll(3);
        assertThat(c.node("n1").isActiveLeader()).isTrue();
        assertThat(c.write(VolatileOp.put("k", bytes("v"), 0)).accepted()).isTrue();
    }

    /**
     * The old leader answers the new leader's first heartbeat with the longest history, so recovery chooses to fetch
     * from it, and then it stops for good (a clean stop right after handing Raft leadership over). Its report must
     * not hold recovery forever: once it has been silent for the quorum timeout, the new leader chooses again among
     * the voters that still answer, which are a majority with memory.
     */
    @Test
    void aFetchTargetThatFallsSilentIsGivenUpAndRecoveryChoosesAgain() {
        VolatileCluster c = threeNodes(100);
        c.write(VolatileOp.put("base", bytes("b"), 0));
        c.settle();
        c.partition(Set.of("n1"));
        c.write(VolatileOp.put("uncommitted", bytes("x"), 0)); // only the old leader holds it
        c.settle();
        c.heal();
        c.elect("n2", null, true);
        for (int round = 0; round < 2; round++) { // heartbeats out, reports back: n2 picks n1's longer history
            c.collectAll();
            while (!c.inFlight.isEmpty()) {
                c.deliver(0);
            }
        }
        c.collect("n2"); // its FETCH to n1 is on the way
        c.crash("n1");
        c.tickAll(c.node("n2").config().quorumTimeoutTicks() + 10);
        assertThat(c.node("n2").isActiveLeader()).as(c.describe()).isTrue();
        assertThat(c.write("n2", VolatileOp.put("after", bytes("a"), 0)).accepted()).isTrue();
        c.tickAll(2);
        for (String id : List.of("n2", "n3")) {
            assertThat(text(c.node(id).localGet("base"))).isEqualTo("b");
            assertThat(c.node(id).localGet("uncommitted")).isNull();
            assertThat(text(c.node(id).localGet("after"))).isEqualTo("a");
        }
        assertThat(c.outcomes.get(2L).status()).isNotEqualTo(WriteOutcome.Status.COMMITTED);
    }
}
