package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error or is ignored; it never changes state. */
class VolatileInputTest {

    @Test
    void invalidOpsAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> VolatileOp.put("", new byte[0], 0)).hasMessageContaining("key");
        assertThatThrownBy(() -> VolatileOp.put("k", new byte[0], -1)).hasMessageContaining("ttlTicks");
        assertThatThrownBy(() -> VolatileOp.addToSet("k", "", 0)).hasMessageContaining("member");
        assertThatThrownBy(() -> new VolatileOp(OpType.DELETE, "k", null, null, 5, 0, false)).hasMessageContaining("ttlTicks");
        assertThatThrownBy(() -> new VolatileOp(OpType.PUT, "k", new byte[1], null, 0, 3, true)).hasMessageContaining("ifVersion");
        assertThatThrownBy(() -> VolatileOp.put("k".repeat(VolatileOp.MAX_NAME_LENGTH + 1), new byte[0], 0))
                .hasMessageContaining("key");
    }

    @Test
    void clientsCannotProposeExpiries() {
        VolatileReplica r = new VolatileReplica(VolatileConfig.of("n1", List.of("n1")), 0, 1);
        assertThatThrownBy(() -> r.propose(1, VolatileOp.expireKey("k", 1))).hasMessageContaining("expiry");
    }

    @Test
    void invalidConfigurationIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> VolatileConfig.of("n1", List.of("n1")).withRingCapacity(0))
                .hasMessageContaining("ringCapacity");
        assertThatThrownBy(() -> VolatileConfig.of("n1", List.of("n1")).withTimers(5, 1, 3, 10))
                .hasMessageContaining("quorumTimeoutTicks");
        assertThatThrownBy(() -> VolatileConfig.of("n1", List.of("n1", "n1"))).hasMessageContaining("distinct");
    }

    @Test
    void malformedOrForeignMessagesAreIgnored() {
        VolatileReplica r = new VolatileReplica(VolatileConfig.of("n2", List.of("n1", "n2", "n3")), 1, 7);
        HistoryTransfer gap = HistoryTransfer.diff(0, 0, List.of(new SequencedOp(2, 1, VolatileOp.delete("k"))));
        r.step(VolatileMessage.sync("n1", "n2", 1, 7, 0, gap));                  // ops do not follow the anchor
        HistoryTransfer future = HistoryTransfer.diff(0, 0, List.of(new SequencedOp(1, 9, VolatileOp.delete("k"))));
        r.step(VolatileMessage.sync("n1", "n2", 1, 7, 0, future));               // op from an epoch above the message's
        HistoryTransfer fine = HistoryTransfer.diff(0, 0, List.of(new SequencedOp(1, 1, VolatileOp.delete("k"))));
        r.step(VolatileMessage.sync("intruder", "n2", 1, 7, 1, fine));          // not a member
        r.step(VolatileMessage.sync("n1", "n2", 2, 7, 1, fine));                // a term Raft has not told us of
        r.step(VolatileMessage.sync("n1", "n2", 1, 6, 1, fine));                // meant for an earlier start of n2
        assertThat(r.isSynced()).isFalse();
        assertThat(r.lastIndex()).isZero();
        r.step(VolatileMessage.sync("n1", "n2", 1, 7, 1, fine));
        assertThat(r.historyEpoch()).isEqualTo(1);
        assertThat(r.appliedIndex()).isEqualTo(1);
    }

    @Test
    void aSingleVoterLeadsAndCommitsAlone() {
        VolatileReplica r = new VolatileReplica(VolatileConfig.of("n1", List.of("n1")), 0, 1);
        r.raftLeaderChanged(1, "n1");
        assertThat(r.isActiveLeader()).isTrue();
        Admission a = r.propose(1, VolatileOp.put("k", new byte[] {1}, 0));
        assertThat(a.accepted()).isTrue();
        r.readStrong(2, "k");
        VolatileReady ready = r.ready();
        assertThat(ready.writeOutcomes()).containsExactly(new WriteOutcome(1, WriteOutcome.Status.COMMITTED, 1, 1));
        assertThat(ready.readResults()).singleElement().satisfies(res -> assertThat(res.value().bytes()).containsExactly(1));
    }
}
