package io.raftx.kv;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The store's MVCC history, kept as undo records: for every retained revision, the value each key it wrote had just
 * before it (absent = the key did not exist). The state at a past revision {@code r} is the current state with the
 * records of the revisions above {@code r} undone, newest first. Recording costs one small array per written
 * revision (the previous values are shared, never copied).
 *
 * <p>Part of the replicated state: it changes only on apply (a write records, {@link #compact} and the bounds drop)
 * and travels in snapshots, so every replica retains the same revisions and answers a past read, or refuses it as
 * compacted, the same way. The bounds are fixed per store, not per-node configuration, for that reason.
 *
 * <p>Not thread-safe: the apply thread owns it.
 */
final class RevisionHistory {

    /**
     * One revision's undo record; {@code before[i]} is null when {@code keys[i]} was absent. Its size is counted once:
     * dropping the oldest record on every write would otherwise touch 10,000-revision-old memory twice.
     */
    record Revision(long revision, ByteKey[] keys, StoredValue[] before, long bytes) {

        Revision(long revision, ByteKey[] keys, StoredValue[] before) {
            this(revision, keys, before, bytesOf(keys, before));
        }

        private static long bytesOf(ByteKey[] keys, StoredValue[] before) {
            long n = 0;
            for (int i = 0; i < keys.length; i++) {
                n += keys[i].length() + (before[i] == null ? 0 : before[i].value().length) + 64;
            }
            return n;
        }
    }

    static final int DEFAULT_MAX_REVISIONS = 10_000;
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final int maxRevisions;
    private final long maxBytes;
    private final ArrayDeque<Revision> revisions = new ArrayDeque<>();
    private long bytes;
    /** Revisions below this one cannot be reconstructed (etcd's compact revision; 0: nothing compacted). */
    private long compacted;

    RevisionHistory(int maxRevisions, long maxBytes) {
        if (maxRevisions < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("history bounds must not be negative: " + maxRevisions + " revisions, "
                    + maxBytes + " bytes");
        }
        this.maxRevisions = maxRevisions;
        this.maxBytes = maxBytes;
    }

    /** The compaction point: reads at a revision below it are refused. */
    long compactedRevision() {
        return compacted;
    }

    int retainedRevisions() {
        return revisions.size();
    }

    /** Records what revision {@code revision}'s writes replaced, then drops the oldest records beyond the bounds. */
    void record(long revision, Map<ByteKey, StoredValue> before) {
        ByteKey[] keys = new ByteKey[before.size()];
        StoredValue[] values = new StoredValue[keys.length];
        int i = 0;
        for (Map.Entry<ByteKey, StoredValue> e : before.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        add(new Revision(revision, keys, values));
        while (!revisions.isEmpty() && (revisions.size() > maxRevisions || bytes > maxBytes)) {
            dropOldest();
        }
    }

    private void add(Revision r) {
        revisions.addLast(r);
        bytes += r.bytes();
    }

    private void dropOldest() {
        Revision r = revisions.pollFirst();
        bytes -= r.bytes();
        compacted = Math.max(compacted, r.revision()); // the state before r is gone; the state at r remains
    }

    /** Forgets everything needed to read below {@code revision} (etcd's Compact); the caller checked the bounds. */
    void compact(long revision) {
        while (!revisions.isEmpty() && revisions.peekFirst().revision() <= revision) {
            dropOldest();
        }
        compacted = Math.max(compacted, revision);
    }

    /**
     * The keys of one range as they were at {@code revision}, which the caller checked lies in
     * {@code [compactedRevision, current revision]}: {@code current} holds the range's live entries and
     * {@code pending} the values a transaction still running replaced (undone first, as they are the newest).
     */
    NavigableMap<ByteKey, StoredValue> at(long revision, KeyRange range, NavigableMap<ByteKey, StoredValue> current,
                                          Map<ByteKey, StoredValue> pending) {
        TreeMap<ByteKey, StoredValue> undone = new TreeMap<>(); // key -> value at revision; a null value: absent
        pending.forEach((key, before) -> {
            if (range.contains(key.bytesUnsafe())) {
                undone.put(key, before);
            }
        });
        Iterator<Revision> newestFirst = revisions.descendingIterator();
        while (newestFirst.hasNext()) {
            Revision r = newestFirst.next();
            if (r.revision() <= revision) {
                break;
            }
            for (int i = 0; i < r.keys().length; i++) {
                if (range.contains(r.keys()[i].bytesUnsafe())) {
                    undone.put(r.keys()[i], r.before()[i]); // older records overwrite newer ones
                }
            }
        }
        if (undone.isEmpty()) {
            return current;
        }
        TreeMap<ByteKey, StoredValue> past = new TreeMap<>(current);
        undone.forEach((key, value) -> {
            if (value == null) {
                past.remove(key);
            } else {
                past.put(key, value);
            }
        });
        return Collections.unmodifiableNavigableMap(past);
    }

    /** The retained records, oldest first (for snapshots). */
    List<Revision> records() {
        return List.copyOf(revisions);
    }

    /** Replaces the history (snapshot restore). */
    void replace(long compactedRevision, List<Revision> records) {
        revisions.clear();
        bytes = 0;
        records.forEach(this::add);
        compacted = compactedRevision;
    }
}
