package io.raftx.raft;

/**
 * A bounded window of appends sent to one follower and not yet acknowledged, remembered by the last index each
 * carried. When the window is full the leader stops sending (back-pressure) until acknowledgements free slots.
 */
final class Inflights {

    private final long[] lastIndexes;
    private int start;
    private int count;

    Inflights(int capacity) {
        lastIndexes = new long[capacity];
    }

    boolean isFull() {
        return count == lastIndexes.length;
    }

    int count() {
        return count;
    }

    void add(long lastIndex) {
        if (isFull()) {
            throw new IllegalStateException("inflight window is full");
        }
        lastIndexes[(start + count) % lastIndexes.length] = lastIndex;
        count++;
    }

    /** Frees every append whose last index is <= {@code index} (acknowledged, directly or by a later ack). */
    void freeTo(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            start = (start + 1) % lastIndexes.length;
            count--;
        }
    }

    /** Frees the oldest slot so a stalled window can send one more probe (its append was probably lost). */
    void freeOldest() {
        if (count > 0) {
            start = (start + 1) % lastIndexes.length;
            count--;
        }
    }

    void clear() {
        start = 0;
        count = 0;
    }
}
