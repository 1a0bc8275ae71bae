package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;

import java.util.List;
import java.util.function.LongUnaryOperator;

/** The checks every {@link LogStore} implementation applies, so that they all behave the same. */
final class LogRules {

    private LogRules() {
    }

    static void checkEntryIndex(long index, long first, long last) {
        if (index < first || index > last) {
            throw new IndexOutOfBoundsException("no entry " + index + ": the log holds [" + first + ", " + last + "]");
        }
    }

    static void checkTermIndex(long index, long first, long last) {
        if (index < first - 1 || index > last) {
            throw new IndexOutOfBoundsException("term of " + index + " is unknown: the log holds [" + first + ", "
                    + last + "] and remembers the term of " + (first - 1));
        }
    }

    static void checkRange(long from, long toInclusive, long first, long last) {
        if (from < first || toInclusive > last || from > toInclusive + 1) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + toInclusive + "] is not within the log ["
                    + first + ", " + last + "]");
        }
    }

    static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
    }

    /**
     * Checks that {@code entries} can be appended to a log {@code [first, last]}: contiguous, starting inside or
     * right after the log, and with terms that never decrease along the resulting log.
     *
     * @param termAt the term of an index in {@code [first - 1, last]}
     */
    static void checkAppend(List<Entry> entries, long first, long last, LongUnaryOperator termAt) {
        Entry head = entries.get(0);
        long start = head.index();
        if (start < first) {
            throw new IllegalArgumentException("cannot append at index " + start + ": entries before " + first
                    + " were truncated (compacted into a snapshot)");
        }
        if (start > last + 1) {
            throw new IllegalArgumentException("cannot append at index " + start + ": the log ends at " + last
                    + " and must stay contiguous");
        }
        long prevTerm = termAt.applyAsLong(start - 1);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.index() != start + i) {
                throw new IllegalArgumentException("entries to append are not contiguous: position " + i
                        + " holds index " + e.index() + ", expected " + (start + i));
            }
            if (e.term() < prevTerm) {
                throw new IllegalArgumentException("entry " + e.index() + " has term " + e.term()
                        + ", lower than the term " + prevTerm + " before it; log terms never decrease");
            }
            prevTerm = e.term();
        }
    }

    static void checkResetTo(long index, long term) {
        if (index < 0 || term < 0 || (index == 0) != (term == 0)) {
            throw new IllegalArgumentException("invalid snapshot position index=" + index + " term=" + term);
        }
    }

    /** Builds the core's start state, or explains why it cannot. */
    static RestoredState restoredState(HardState hs, long first, List<Entry> log, String where) {
        if (first != 1) {
            throw new StorageException("cannot recover " + where + " into the consensus core: its log starts at index "
                    + first + " (the prefix was truncated for a snapshot), and RestoredState has no snapshot support yet");
        }
        try {
            return new RestoredState(hs, log, 0);
        } catch (IllegalArgumentException e) {
            throw new StorageException("inconsistent durable state in " + where + ": " + e.getMessage(), e);
        }
    }
}
