package io.raftx.kv.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} events, for watches that resume from a past revision. Not thread-safe: the hub guards it.
 *
 * <p>Evicts whole revisions only: a transaction's events share one revision, and a resume from a half-evicted
 * revision would silently miss some of them. So after eviction every revision above {@link #compactedThrough()} is
 * complete.
 *
 * <p>Events are kept as records ({@link EventRecords}) in large byte blocks, indexed by two primitive rings, rather
 * than as event objects: the history holds every write for a while (100,000 events by default: seconds at high
 * load), and as five small objects per write it was most of what each young collection had to copy. Blocks of
 * evicted events are reused rather than dropped, so that a block is copied by the collector only until it is old,
 * not once per new block's worth of writes.
 */
final class WatchHistory {

    private static final int BLOCK_BYTES = 512 * 1024;
    /** Spare blocks kept for reuse; beyond these (after a compaction or reset) they go to the collector. */
    private static final int MAX_SPARE_BLOCKS = 4;

    private final int capacity;
    private long compactedThrough;

    /** Event {@code i} (0 = oldest) is at slot {@code (head + i) % revisions.length} of both rings. */
    private long[] revisions = new long[16];
    /** Where each event's record is: its block's sequence number, shifted left 32, or its offset in the block. */
    private long[] positions = new long[16];
    private int head;
    private int size;

    private final List<byte[]> blocks = new ArrayList<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    /** Sequence number of the first block in {@link #blocks} (or of the next block, when there is none). */
    private long firstBlock;
    private int usedInLastBlock;

    WatchHistory(int capacity) {
        this.capacity = capacity;
    }

    void append(List<WatchEvent> batch) {
        batch.forEach(this::add);
        while (size > capacity) {
            long evicted = revision(0);
            while (size > 0 && revision(0) == evicted) {
                removeOldest();
            }
            compactedThrough = Math.max(compactedThrough, evicted);
        }
        dropUnusedBlocks();
    }

    /** Forgets everything up to {@code revision} (a snapshot was restored: the events before it are unknown). */
    void reset(long revision) {
        head = 0;
        size = 0;
        dropUnusedBlocks();
        compactedThrough = revision;
    }

    /** Forgets the events up to {@code revision}, keeping the later ones. */
    void compact(long revision) {
        while (size > 0 && revision(0) <= revision) {
            removeOldest();
        }
        dropUnusedBlocks();
        compactedThrough = Math.max(compactedThrough, revision);
    }

    /** Revisions up to this one may be missing. */
    long compactedThrough() {
        return compactedThrough;
    }

    long oldestRetainedRevision() {
        return compactedThrough + 1;
    }

    int size() {
        return size;
    }

    /** Blocks holding events, for tests of the memory kept. */
    int blockCount() {
        return blocks.size();
    }

    /** Blocks kept for reuse, for tests. */
    int spareBlockCount() {
        return spare.size();
    }

    /** Retained events with revision >= {@code fromRevision} whose key matches, in revision order. */
    List<WatchEvent> since(long fromRevision, WatchPattern pattern) {
        int first = size;
        while (first > 0 && revision(first - 1) >= fromRevision) {
            first--;
        }
        List<WatchEvent> out = new ArrayList<>();
        for (int i = first; i < size; i++) {
            byte[] block = block(i);
            int offset = (int) positions[slot(i)];
            if (pattern.matches(EventRecords.key(block, offset))) {
                out.add(EventRecords.read(block, offset));
            }
        }
        return out;
    }

    private void add(WatchEvent e) {
        int length = EventRecords.size(e);
        byte[] block = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (block == null || usedInLastBlock + length > block.length) {
            block = length <= BLOCK_BYTES && !spare.isEmpty() ? spare.pop() : new byte[Math.max(BLOCK_BYTES, length)];
            blocks.add(block);
            usedInLastBlock = 0;
        }
        EventRecords.write(e, block, usedInLastBlock);
        if (size == revisions.length) {
            grow();
        }
        int slot = slot(size);
        revisions[slot] = e.revision();
        positions[slot] = (firstBlock + blocks.size() - 1) << 32 | usedInLastBlock;
        size++;
        usedInLastBlock += length;
    }

    private void removeOldest() {
        head = (head + 1) % revisions.length;
        size--;
    }

    /** Drops the blocks before the oldest retained event's (all of them when no event is left). */
    private void dropUnusedBlocks() {
        long keepFrom = size == 0 ? firstBlock + blocks.size() : positions[slot(0)] >>> 32;
        if (keepFrom > firstBlock) {
            List<byte[]> unused = blocks.subList(0, (int) (keepFrom - firstBlock));
            for (byte[] block : unused) {
                if (block.length == BLOCK_BYTES && spare.size() < MAX_SPARE_BLOCKS) {
                    spare.push(block);
                }
            }
            unused.clear();
            firstBlock = keepFrom;
        }
    }

    private long revision(int i) {
        return revisions[slot(i)];
    }

    private byte[] block(int i) {
        return blocks.get((int) ((positions[slot(i)] >>> 32) - firstBlock));
    }

    private int slot(int i) {
        return (head + i) % revisions.length;
    }

    private void grow() {
        long[] newRevisions = new long[revisions.length * 2];
        long[] newPositions = new long[positions.length * 2];
        for (int i = 0; i < size; i++) {
            newRevisions[i] = revision(i);
            newPositions[i] = positions[slot(i)];
        }
        revisions = newRevisions;
        positions = newPositions;
        head = 0;
    }
}
