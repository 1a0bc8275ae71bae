package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;

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

    /** {@code compactUpTo} must lie within the snapshot and the log. */
    static void checkCompaction(SnapshotMeta meta, long compactUpTo, long lastIndex) {
        if (compactUpTo < 0 || compactUpTo > meta.index() || compactUpTo > lastIndex) {
            throw new IllegalArgumentException("cannot compact the log up to " + compactUpTo + ": it must be between 0"
                    + " and the snapshot's index " + meta.index() + " and within the log (last index " + lastIndex
                    + ")");
        }
    }

    /**
     * Builds the core's start state, or explains why it cannot. {@code log} holds every stored entry from
     * {@code first} on, and {@code prevTerm} is the term remembered for {@code first - 1}. With a snapshot, the
     * stored entries it covers (kept behind it for followers that are only a little behind) are left out: the
     * core's log starts right after its snapshot, and its applied index is the snapshot's.
     */
    static RestoredState restoredState(HardState hs, SnapshotMeta snapshot, long first, long prevTerm, List<Entry> log,
                                       String where) {
        long last = first - 1 + log.size();
        List<Entry> suffix = log;
        if (snapshot == null) {
            if (first != 1) {
                throw new StorageException("cannot recover " + where + ": its log starts at index " + first
                        + " (the prefix was truncated) but no snapshot is recorded that covers the entries before it");
            }
        } else {
            long s = snapshot.index();
            if (first - 1 > s || s > last) {
                throw new StorageException("inconsistent durable state in " + where + ": the recorded snapshot ends at "
                        + s + " but the log holds [" + first + ", " + last + "] (it must hold the snapshot's index or "
                        + "start right after it)");
            }
            long termAtSnapshot = s == first - 1 ? prevTerm : log.get((int) (s - first)).term();
            if (termAtSnapshot != snapshot.term()) {
                throw new StorageException("inconsistent durable state in " + where + ": the recorded snapshot is at "
                        + s + "@" + snapshot.term() + " but the log has term " + termAtSnapshot + " there");
            }
            suffix = log.subList((int) (s - first + 1), log.size());
        }
        try {
            return new RestoredState(hs, snapshot, suffix, snapshot == null ? 0 : snapshot.index());
        } catch (IllegalArgumentException e) {
            throw new StorageException("inconsistent durable state in " + where + ": " + e.getMessage(), e);
        }
    }

    /** A hard state staged without a sync may only move the commit index: term and vote are promises (fsynced). */
    static void checkCommitOnly(HardState stored, HardState next) {
        if (next.term() != stored.term() || !java.util.Objects.equals(next.votedFor(), stored.votedFor())) {
            throw new IllegalArgumentException("a hard state with a new term or vote (" + next + " over " + stored
                    + ") must be persisted with a sync, not staged");
        }
    }
}
