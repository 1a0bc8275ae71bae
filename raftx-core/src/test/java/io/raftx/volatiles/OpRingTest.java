package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpRingTest {

    private static SequencedOp op(long index, long epoch) {
        return new SequencedOp(index, epoch, VolatileOp.delete("k" + index));
    }

    @Test
    void keepsTheLastCapacityAppliedOpsAndWrapsAround() {
        OpRing ring = new OpRing(4);
        for (int i = 1; i <= 50; i++) {
            ring.append(op(i, 1 + i / 20));
            ring.evictApplied(i);
        }
        assertThat(ring.size()).isEqualTo(4);
        assertThat(ring.firstIndex()).isEqualTo(47);
        assertThat(ring.lastIndex()).isEqualTo(50);
        assertThat(ring.get(47).index()).isEqualTo(47);
        assertThat(ring.epochAt(46)).isEqualTo(3); // the last evicted op's epoch stays known
        assertThat(ring.epochAt(45)).isEqualTo(-1);
        assertThat(ring.slice(48, 50)).extracting(SequencedOp::index).containsExactly(48L, 49L, 50L);
    }

    @Test
    void neverEvictsOpsThatAreNotApplied() {
        OpRing ring = new OpRing(2);
        for (int i = 1; i <= 10; i++) {
            ring.append(op(i, 1));
        }
        ring.evictApplied(3);
        assertThat(ring.firstIndex()).isEqualTo(4);
        assertThat(ring.size()).isEqualTo(7);
    }

    @Test
    void truncatesAndResets() {
        OpRing ring = new OpRing(8);
        for (int i = 1; i <= 6; i++) {
            ring.append(op(i, 1));
        }
        ring.truncateAfter(3);
        assertThat(ring.lastIndex()).isEqualTo(3);
        ring.append(op(4, 2));
        assertThat(ring.epochAt(4)).isEqualTo(2);
        ring.resetAfter(100, 7);
        assertThat(ring.lastIndex()).isEqualTo(100);
        assertThat(ring.epochAt(100)).isEqualTo(7);
        assertThatThrownBy(() -> ring.append(op(102, 7))).isInstanceOf(IllegalArgumentException.class);
        ring.append(op(101, 7));
        assertThat(ring.contains(101)).isTrue();
    }
}
