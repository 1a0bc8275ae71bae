package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolatileHistoryTest {

    private final VolatileOutput out = new VolatileOutput();

    private static SequencedOp put(long index, long epoch) {
        return new SequencedOp(index, epoch, VolatileOp.put("k" + index, ("v" + index).getBytes(StandardCharsets.UTF_8), 0));
    }

    private static List<SequencedOp> ops(long from, long to, long epoch) {
        List<SequencedOp> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(put(i, epoch));
        }
        return list;
    }

    private VolatileHistory history(int capacity, long last, long committed, long epoch) {
        VolatileHistory h = new VolatileHistory(capacity);
        ops(1, last, epoch).forEach(h::append);
        h.commitTo(committed, out);
        return h;
    }

    @Test
    void aSyncTruncatesADivergentUncommittedSuffixOfAnOlderEpoch() {
        VolatileHistory follower = history(100, 8, 5, 1);      // 6..8 of epoch 1 never committed
        List<SequencedOp> leaders = new ArrayList<>(ops(6, 6, 1));
        leaders.addAll(ops(7, 7, 3));
        assertThat(follower.receive(HistoryTransfer.diff(5, 1, leaders), true, out)).isTrue();
        assertThat(follower.lastIndex()).isEqualTo(7);
        assertThat(follower.epochAt(7)).isEqualTo(3);
    }

    @Test
    void aTransferWhoseAnchorWeDoNotHoldIsRefusedWithoutChange() {
        VolatileHistory follower = history(100, 4, 4, 1);
        assertThat(follower.receive(HistoryTransfer.diff(6, 1, ops(7, 8, 1)), false, out)).isFalse();
        assertThat(follower.receive(HistoryTransfer.diff(4, 2, ops(5, 5, 2)), false, out)).isFalse();
        assertThat(follower.lastIndex()).isEqualTo(4);
    }

    @Test
    void theLeaderSendsADiffWhileTheRingHoldsTheOpsAndASnapshotBeyond() {
        VolatileHistory leader = history(4, 20, 20, 1);
        assertThat(leader.transferAfter(17, -1).snapshot()).isNull();
        HistoryTransfer far = leader.transferAfter(3, -1);
        assertThat(far.snapshot()).isNotNull();
        assertThat(far.snapshot().index()).isEqualTo(20);
        VolatileHistory lagging = history(4, 3, 3, 1);
        assertThat(lagging.receive(far, true, out)).isTrue();
        assertThat(lagging.committed()).isEqualTo(20);
        assertThat(lagging.store().fingerprint()).isEqualTo(leader.store().fingerprint());
        assertThat(lagging.rollbacks()).isZero();
    }

    @Test
    void aSnapshotContradictingCommittedStateRollsBackAndIsCounted() {
        VolatileHistory node = history(100, 5, 5, 1);
        VolatileHistory other = history(100, 3, 3, 2);          // a different history, only after a majority loss
        assertThat(node.receive(other.snapshotTransfer(), true, out)).isTrue();
        assertThat(node.committed()).isEqualTo(3);
        assertThat(node.rollbacks()).isEqualTo(1);
        assertThat(node.store().fingerprint()).isEqualTo(other.store().fingerprint());
    }

    @Test
    void ttlDeadlinesAreTiedToTheWriteThatSetThem() {
        VolatileHistory h = new VolatileHistory(100);
        h.append(new SequencedOp(1, 1, VolatileOp.put("k", new byte[] {1}, 2)));
        h.append(new SequencedOp(2, 1, VolatileOp.addToSet("s", "m", 3)));
        h.commitTo(2, out);
        h.ttl().tick();
        h.ttl().tick();
        assertThat(h.ttl().due()).extracting(TtlTracker.Deadline::key).containsExactly("k");
        h.ttl().tick();
        assertThat(h.ttl().due()).extracting(TtlTracker.Deadline::key, TtlTracker.Deadline::member)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k", null), org.assertj.core.groups.Tuple.tuple("s", "m"));
        assertThat(h.snapshot().ttls()).extracting(VolatileSnapshot.Ttl::remainingTicks).containsOnly(0L);
    }
}
