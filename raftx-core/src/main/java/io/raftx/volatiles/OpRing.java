package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory op history of one node: a ring buffer holding the ops with indexes
 * {@code [firstIndex, lastIndex]}. Applied ops are evicted oldest first once more than {@code capacity} are held;
 * ops not applied yet are never evicted (the leader bounds how many can be pending). The array grows on demand, so
 * a large capacity costs nothing until it is used.
 */
final class OpRing {

    private final int capacity;
    private SequencedOp[] slots = new SequencedOp[16];
    private int head;
    private int size;
    private long firstIndex = 1;
    /** Epoch of the op just before {@code firstIndex} (evicted, or the snapshot the ring was reset after); 0 at start. */
    private long epochBeforeFirst;

    OpRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ring capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    /** Index of the oldest op held (lastIndex + 1 when empty). */
    long firstIndex() {
        return firstIndex;
    }

    /** Index of the newest op held, or of the last op before the ring was emptied or reset. */
    long lastIndex() {
        return firstIndex + size - 1;
    }

    boolean contains(long index) {
        return index >= firstIndex && index <= lastIndex();
    }

    /** Epoch of the op at {@code index}, known for [firstIndex - 1, lastIndex]; -1 outside. */
    long epochAt(long index) {
        if (index == firstIndex - 1) {
            return epochBeforeFirst;
        }
        return contains(index) ? get(index).epoch() : -1;
    }

    SequencedOp get(long index) {
        if (!contains(index)) {
            throw new IllegalArgumentException("op " + index + " is not in the ring [" + firstIndex + ", " + lastIndex() + "]");
        }
        return slots[(int) ((head + (index - firstIndex)) % slots.length)];
    }

    void append(SequencedOp op) {
        if (op.index() != lastIndex() + 1) {
            throw new IllegalArgumentException("op " + op.index() + " does not follow " + lastIndex());
        }
        if (size == slots.length) {
            grow();
        }
        slots[(head + size) % slots.length] = op;
        size++;
    }

    /** Drops every op after {@code index}. */
    void truncateAfter(long index) {
        while (size > 0 && lastIndex() > index) {
            slots[(head + size - 1) % slots.length] = null;
            size--;
        }
    }

    /** Evicts the oldest ops while more than {@code capacity} are held, never one after {@code applied}. */
    void evictApplied(long applied) {
        while (size > capacity && firstIndex <= applied) {
            epochBeforeFirst = slots[head].epoch();
            slots[head] = null;
            head = (head + 1) % slots.length;
            size--;
            firstIndex++;
        }
    }

    /** Empties the ring after a snapshot ending at op ({@code index}, {@code epoch}); the next op is {@code index + 1}. */
    void resetAfter(long index, long epoch) {
        slots = new SequencedOp[16];
        head = 0;
        size = 0;
        firstIndex = index + 1;
        epochBeforeFirst = epoch;
    }

    /** Ops with indexes in [from, to], which must be held. */
    List<SequencedOp> slice(long from, long to) {
        List<SequencedOp> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long i = from; i <= to; i++) {
            out.add(get(i));
        }
        return out;
    }

    private void grow() {
        SequencedOp[] bigger = new SequencedOp[slots.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = slots[(head + i) % slots.length];
        }
        slots = bigger;
        head = 0;
    }
}
