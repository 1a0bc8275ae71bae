package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one node's log after its compaction point: the recent ones in memory, older ones that are durable
 * and applied here read back from the runtime's {@link DurableEntries} when a lagging follower needs them. Holding
 * every entry until the next snapshot (up to 100,000) kept each write's data alive through several young
 * collections, each of which copied it: most of the GC pause time behind the loop's stalls at high load. The term
 * of every entry stays in memory, as runs of entries with one term, so that term lookups never read the disk.
 */
final class LogEntries {

    private record TermRun(long first, long term) {
    }

    private final DurableEntries durable;
    private final int recentEntries;
    /** Entries {@code (durableOnlyTo, lastIndex()]}. */
    private final ArrayList<Entry> recent = new ArrayList<>();
    /** Runs covering {@code (offset, lastIndex()]}, by first index; the first run may start at or before offset. */
    private final ArrayList<TermRun> runs = new ArrayList<>();
    /** The last index compacted into a snapshot (0 for none), and its term. */
    private long offset;
    private long offsetTerm;
    /** Entries in {@code (offset, durableOnlyTo]} are no longer in memory: they are read from {@link #durable}. */
    private long durableOnlyTo;

    /**
     * @param durable       where entries that left memory are read back; null keeps every entry in memory
     * @param recentEntries how many entries behind the applied and durable position stay in memory
     */
    LogEntries(long offset, long offsetTerm, List<Entry> restored, DurableEntries durable, int recentEntries) {
        if (recentEntries < 0) {
            throw new IllegalArgumentException("recentEntries must be >= 0, got " + recentEntries);
        }
        this.durable = durable;
        this.recentEntries = recentEntries;
        resetTo(offset, offsetTerm);
        restored.forEach(this::add);
    }

    long offset() {
        return offset;
    }

    long lastIndex() {
        return durableOnlyTo + recent.size();
    }

    /** Term of the entry at {@code index}; the compaction point's term for {@code offset}; 0 outside the log. */
    long term(long index) {
        if (index == offset) {
            return offsetTerm;
        }
        if (index < offset || index > lastIndex()) {
            return 0;
        }
        if (index > durableOnlyTo) {
            return recent.get((int) (index - durableOnlyTo - 1)).term();
        }
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runs.get(mid).first() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return runs.get(lo).term();
    }

    /** The entry at {@code index}, or null outside {@code (offset, lastIndex()]}. */
    Entry get(long index) {
        if (index <= offset || index > lastIndex()) {
            return null;
        }
        if (index > durableOnlyTo) {
            return recent.get((int) (index - durableOnlyTo - 1));
        }
        return durable.entries(index, index, Long.MAX_VALUE).get(0);
    }

    /**
     * Entries {@code [from, to]} (within the log, after the offset), at most {@code maxEntries} of them and, beyond
     * the first, at most {@code maxBytes}.
     */
    List<Entry> read(long from, long to, int maxEntries, long maxBytes) {
        List<Entry> out = new ArrayList<>((int) Math.min(to - from + 1, Math.min(maxEntries, 1024)));
        long bytes = 0;
        long next = from;
        if (from <= durableOnlyTo) {
            long storedTo = Math.min(Math.min(to, durableOnlyTo), from + maxEntries - 1);
            for (Entry e : durable.entries(from, storedTo, maxBytes)) {
                bytes += e.sizeBytes();
                out.add(e);
            }
            next = from + out.size();
            if (next <= storedTo) {
                return out; // the byte limit was reached
            }
        }
        for (long i = next; i <= to && out.size() < maxEntries; i++) {
            Entry e = recent.get((int) (i - durableOnlyTo - 1));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** A copy of the entries {@code (after, upTo]}, which must all still be in memory. */
    List<Entry> copy(long after, long upTo) {
        if (after < durableOnlyTo) {
            throw new IllegalStateException("entries after " + after + " have left memory (up to " + durableOnlyTo
                    + ")");
        }
        return new ArrayList<>(recent.subList((int) (after - durableOnlyTo), (int) (upTo - durableOnlyTo)));
    }

    void add(Entry e) {
        recent.add(e);
        if (runs.isEmpty() || runs.get(runs.size() - 1).term() != e.term()) {
            runs.add(new TermRun(e.index(), e.term()));
        }
    }

    /** Drops the entries from {@code index} on; they must still be in memory (only unapplied entries are). */
    void truncateFrom(long index) {
        if (index <= durableOnlyTo) {
            throw new IllegalStateException("cannot truncate from " + index + ": entries up to " + durableOnlyTo
                    + " are applied");
        }
        recent.subList((int) (index - durableOnlyTo - 1), recent.size()).clear();
        while (!runs.isEmpty() && runs.get(runs.size() - 1).first() >= index) {
            runs.remove(runs.size() - 1);
        }
    }

    /** Drops the entries up to {@code index} ({@code offset < index <= lastIndex()}), which a snapshot covers. */
    void compactTo(long index) {
        offsetTerm = term(index);
        if (index > durableOnlyTo) {
            recent.subList(0, (int) (index - durableOnlyTo)).clear();
            durableOnlyTo = index;
        }
        offset = index;
        while (runs.size() > 1 && runs.get(1).first() <= offset + 1) {
            runs.remove(0);
        }
    }

    /** Discards every entry: the log continues after {@code (index, term)}. */
    void resetTo(long index, long term) {
        recent.clear();
        runs.clear();
        offset = index;
        offsetTerm = term;
        durableOnlyTo = index;
    }

    /**
     * Entries up to {@code upTo} are durable and applied here: all but the last {@code recentEntries} of them may
     * leave memory. They leave in batches of at least {@code recentEntries}, one array shift per batch.
     */
    void release(long upTo) {
        if (durable == null) {
            return;
        }
        long target = Math.min(upTo - recentEntries, lastIndex());
        if (target - durableOnlyTo < Math.max(1, recentEntries)) {
            return;
        }
        recent.subList(0, (int) (target - durableOnlyTo)).clear();
        durableOnlyTo = target;
    }
}
