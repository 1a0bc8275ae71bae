package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.SnapshotMeta;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStore} in memory, for tests and the simulator. Everything is "durable" as soon as it is written:
 * {@link #sync()} does nothing, and a simulated restart keeps this object.
 */
public final class MemoryLogStore implements LogStore {

    /** {@code entries.get(i)} has index {@code firstIndex + i}. */
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long firstIndex = 1;
    private long prevTerm;
    /** The snapshot {@link MemoryRaftStorage} recorded; kept here so that a storage rebuilt over this log sees it. */
    private SnapshotMeta snapshot;

    synchronized void recordSnapshot(SnapshotMeta meta) {
        snapshot = meta;
    }

    synchronized SnapshotMeta snapshot() {
        return snapshot;
    }

    @Override
    public synchronized long firstIndex() {
        return firstIndex;
    }

    @Override
    public synchronized long lastIndex() {
        return firstIndex + entries.size() - 1;
    }

    @Override
    public synchronized Entry entry(long index) {
        LogRules.checkEntryIndex(index, firstIndex, lastIndex());
        return entries.get(offset(index));
    }

    @Override
    public synchronized long term(long index) {
        LogRules.checkTermIndex(index, firstIndex, lastIndex());
        return index == firstIndex - 1 ? prevTerm : entries.get(offset(index)).term();
    }

    @Override
    public synchronized List<Entry> entries(long from, long toInclusive, long maxBytes) {
        LogRules.checkRange(from, toInclusive, firstIndex, lastIndex());
        LogRules.checkMaxBytes(maxBytes);
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= toInclusive; i++) {
            Entry e = entries.get(offset(i));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized void append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        LogRules.checkAppend(batch, firstIndex, lastIndex(), this::term);
        int keep = offset(batch.get(0).index());
        entries.subList(keep, entries.size()).clear();
        entries.addAll(batch);
    }

    @Override
    public synchronized void truncatePrefix(long upToInclusive) {
        if (upToInclusive < firstIndex) {
            return;
        }
        if (upToInclusive > lastIndex()) {
            throw new IllegalArgumentException("cannot truncate up to " + upToInclusive + ": the log ends at "
                    + lastIndex() + " (use resetTo to discard the whole log)");
        }
        prevTerm = entries.get(offset(upToInclusive)).term();
        entries.subList(0, offset(upToInclusive) + 1).clear();
        entries.trimToSize();
        firstIndex = upToInclusive + 1;
    }

    @Override
    public synchronized void resetTo(long index, long term) {
        LogRules.checkResetTo(index, term);
        entries.clear();
        entries.trimToSize();
        firstIndex = index + 1;
        prevTerm = term;
    }

    @Override
    public void sync() {
        // in memory: nothing to flush
    }

    private int offset(long index) {
        return Math.toIntExact(index - firstIndex);
    }
}
