package io.raftx.raft;

import java.util.Collections;
import java.util.List;

/**
 * The in-memory view of one node's log and the three positions the core tracks in it:
 * {@code persisted} (durable on this node), {@code committed} (known committed cluster-wide) and {@code applied}
 * (handed to the state machine). Entries past {@code persisted} are waiting to be written by the runtime.
 * Invariant: applied <= committed and applied <= persisted; committed entries are never truncated. Entries up to
 * both applied and persisted may leave memory ({@link LogEntries}).
 */
final class RaftLog {

    private final LogEntries entries;
    /** The latest snapshot the state machine holds, or null: what the leader sends to followers that lag too far. */
    private SnapshotMeta snapshot;
    private long persisted;
    /** Highest index handed out for persistence in a Ready that has not been advanced yet. */
    private long handedOut;
    private long committed;
    private long applied;
    private final MembershipLog memberships;

    /** {@code durable} and {@code recentEntries}: see {@link LogEntries}. */
    RaftLog(RestoredState restored, Membership bootstrap, DurableEntries durable, int recentEntries) {
        snapshot = restored.snapshot();
        memberships = snapshot != null ? new MembershipLog(snapshot.membership(), snapshot.index())
                : new MembershipLog(bootstrap, 0);
        entries = snapshot != null
                ? new LogEntries(snapshot.index(), snapshot.term(), restored.log(), durable, recentEntries)
                : new LogEntries(0, 0, restored.log(), durable, recentEntries);
        restored.log().forEach(memberships::appended);
        this.persisted = lastIndex();
        this.handedOut = persisted;
        this.committed = Math.max(restored.hardState().commit(), offset());
        this.applied = Math.max(Math.min(restored.appliedIndex(), committed), offset());
    }

    SnapshotMeta snapshot() {
        return snapshot;
    }

    /** The state machine holds a snapshot at {@code meta.index()} (<= applied): remember it for lagging followers. */
    void snapshotTaken(SnapshotMeta meta) {
        if (meta.index() > applied || (hasTerm(meta.index()) && term(meta.index()) != meta.term())) {
            throw new IllegalArgumentException("snapshot at " + meta.index() + "@" + meta.term()
                    + " does not match this log (applied " + applied + ")");
        }
        if (snapshot == null || meta.index() > snapshot.index()) {
            snapshot = meta;
        }
    }

    /** Drops entries up to {@code index}, which a snapshot already covers. */
    void compact(long index) {
        if (snapshot == null || index > snapshot.index()) {
            throw new IllegalArgumentException("cannot compact to " + index + ": no snapshot covers it (latest "
                    + (snapshot == null ? "none" : snapshot.index()) + ")");
        }
        if (index <= offset()) {
            return;
        }
        entries.compactTo(index);
        memberships.compactedTo(index);
    }

    /** Replaces the whole log with a snapshot from the leader; everything up to its index is committed and applied. */
    void restore(SnapshotMeta meta) {
        entries.resetTo(meta.index(), meta.term());
        snapshot = meta;
        committed = meta.index();
        applied = meta.index();
        persisted = meta.index();
        handedOut = meta.index();
        memberships.reset(meta.membership(), meta.index());
    }

    /** True when {@code index}'s term is known here (not compacted away, not beyond the end). */
    boolean hasTerm(long index) {
        return index >= offset() && index <= lastIndex();
    }

    long lastIndex() {
        return entries.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    long firstIndex() {
        return offset() + 1;
    }

    long offset() {
        return entries.offset();
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long persisted() {
        return persisted;
    }

    /** Term of the entry at {@code index}; 0 for index 0 and for indexes past the end. */
    long term(long index) {
        return entries.term(index);
    }

    /** The entry at {@code index} (read back from the durable log if it left memory), or null outside the log. */
    Entry entry(long index) {
        return entries.get(index);
    }

    /** True if our log holds an entry with this index and term (index 0, before the first entry, always matches). */
    boolean matches(long index, long term) {
        if (index == 0) {
            return term == 0;
        }
        return hasTerm(index) && term(index) == term;
    }

    /** Raft §5.4.1: a candidate's log is at least as up-to-date as ours. */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
    }

    /** The same comparison, strictly: a candidate's log holds entries ours lacks. */
    boolean isNewer(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex > lastIndex());
    }

    /** Entries in [from, toInclusive], at most {@code maxEntries} and {@code maxBytes} (one entry always fits). */
    List<Entry> slice(long from, long toInclusive, int maxEntries, long maxBytes) {
        if (from <= offset()) {
            throw new IllegalArgumentException("entries from " + from + " are compacted (first index " + firstIndex() + ")");
        }
        if (from > toInclusive || from > lastIndex()) {
            return List.of();
        }
        return entries.read(from, Math.min(toInclusive, lastIndex()), maxEntries, maxBytes);
    }

    MembershipLog memberships() {
        return memberships;
    }

    long append(long term, EntryType type, byte[] data) {
        long index = lastIndex() + 1;
        Entry e = new Entry(term, index, type, data);
        entries.add(e);
        memberships.appended(e);
        return index;
    }

    /**
     * Appends a leader's entries that follow {@code prevIndex}, skipping those we already hold and truncating our
     * suffix at the first conflict (Raft §5.3). Returns the index of the last entry now known to match the leader.
     */
    long appendFromLeader(long prevIndex, List<Entry> incoming) {
        for (Entry e : incoming) {
            long have = term(e.index());
            if (e.index() <= lastIndex() && have == e.term()) {
                continue;
            }
            if (e.index() <= lastIndex()) {
                truncateFrom(e.index());
            }
            entries.add(e);
            memberships.appended(e);
        }
        return prevIndex + incoming.size();
    }

    private void truncateFrom(long index) {
        if (index <= committed) {
            throw new IllegalStateException("refusing to truncate committed entry " + index + " (commit " + committed + ")");
        }
        entries.truncateFrom(index);
        memberships.truncatedFrom(index);
        persisted = Math.min(persisted, index - 1);
        handedOut = Math.min(handedOut, index - 1);
    }

    /** First index of the run of entries with the same term as {@code index}, not going below the commit index. */
    long firstIndexOfTermAt(long index) {
        long t = term(index);
        long i = index;
        while (i - 1 > Math.max(committed, offset()) && term(i - 1) == t) {
            i--;
        }
        return i;
    }

    /** Last index <= {@code atMost} whose term is {@code term}, or -1 if this log has none. */
    long lastIndexOfTerm(long term, long atMost) {
        for (long i = Math.min(atMost, lastIndex()); i > offset(); i--) {
            long t = term(i);
            if (t == term) {
                return i;
            }
            if (t < term) {
                return -1;
            }
        }
        return -1;
    }

    boolean commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
            }
            committed = index;
            return true;
        }
        return false;
    }

    boolean hasUnpersisted() {
        return handedOut < lastIndex();
    }

    List<Entry> takeUnpersisted() {
        List<Entry> out = handedOut >= lastIndex() ? List.of()
                : Collections.unmodifiableList(entries.copy(handedOut, lastIndex()));
        handedOut = lastIndex();
        return out;
    }

    /** Committed entries that are also durable here and not yet applied, at most {@code max} of them. */
    List<Entry> committedToApply(int max) {
        long to = Math.min(Math.min(committed, persisted), applied + max);
        if (to <= applied) {
            return List.of();
        }
        return Collections.unmodifiableList(entries.copy(applied, to));
    }

    void persistedTo(long index, long term) {
        if (index > persisted && term(index) == term) {
            persisted = index;
            entries.release(Math.min(applied, persisted));
        }
    }

    void appliedTo(long index) {
        if (index > applied) {
            applied = index;
            entries.release(Math.min(applied, persisted));
        }
    }
}
