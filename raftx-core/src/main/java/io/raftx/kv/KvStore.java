package io.raftx.kv;

import io.raftx.kv.watch.WatchEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The key space and its revisions, etcd's model: one global revision, bumped once by every transaction that writes;
 * per key a create revision, a mod revision and a version. Pure and deterministic: no clock, no randomness, no
 * threads; the state machine calls it on the apply thread only.
 *
 * <p>It trusts its inputs to be unshared: the state machine only passes arrays it just decoded from a command.
 */
final class KvStore {

    /** A transaction's result plus the events of its writes (empty when nothing was written). */
    record Outcome(TxnResult result, List<WatchEvent> events) { }

    private TreeMap<ByteKey, StoredValue> data = new TreeMap<>();
    /** Lease id to TTL in seconds. A key's lease is in its {@link StoredValue}; revoke finds its keys by a scan. */
    private TreeMap<Long, Long> leases = new TreeMap<>();
    private final RevisionHistory history;
    private volatile long revision;

    KvStore() {
        this(new RevisionHistory(RevisionHistory.DEFAULT_MAX_REVISIONS, RevisionHistory.DEFAULT_MAX_BYTES));
    }

    KvStore(RevisionHistory history) {
        this.history = history;
    }

    long revision() {
        return revision;
    }

    int size() {
        return data.size();
    }

    Optional<KeyValue> get(byte[] key) {
        ByteKey k = ByteKey.of(key);
        return Optional.ofNullable(data.get(k)).map(v -> v.toKeyValue(k));
    }

    /** The keys of {@code range} in key order (a live view: consume it before the next write). */
    java.util.stream.Stream<KeyValue> range(KeyRange range) {
        return entries(range).entrySet().stream().map(e -> e.getValue().toKeyValue(e.getKey()));
    }

    /**
     * The keys of {@code range} at {@code atRevision} (0: the current revision), in key order; throws
     * {@link RevisionException} for a compacted or future revision.
     */
    java.util.stream.Stream<KeyValue> range(KeyRange range, long atRevision) {
        checkReadable(atRevision, revision);
        if (atRevision == 0 || atRevision == revision) {
            return range(range);
        }
        return history.at(atRevision, range, entries(range), Map.of()).entrySet().stream()
                .map(e -> e.getValue().toKeyValue(e.getKey()));
    }

    /** The first revision a read may name (etcd's compact revision; reads at it are still served). */
    long compactedRevision() {
        return history.compactedRevision();
    }

    private void checkReadable(long atRevision, long current) {
        if (atRevision > current) {
            throw new RevisionException(RevisionException.Reason.FUTURE, atRevision, current);
        }
        if (atRevision != 0 && atRevision < history.compactedRevision()) {
            throw new RevisionException(RevisionException.Reason.COMPACTED, atRevision, history.compactedRevision());
        }
    }

    /**
     * etcd's Compact: reads below {@code atRevision} are refused from now on and their history is dropped. Refused
     * ({@link RevisionException}, nothing changed) above the current revision or at or below the compaction point.
     */
    void compact(long atRevision) {
        if (atRevision > revision) {
            throw new RevisionException(RevisionException.Reason.FUTURE, atRevision, revision);
        }
        if (atRevision <= history.compactedRevision()) {
            throw new RevisionException(RevisionException.Reason.COMPACTED, atRevision, history.compactedRevision());
        }
        history.compact(atRevision);
    }

    private NavigableMap<ByteKey, StoredValue> entries(KeyRange range) {
        if (range.isEmpty()) {
            return Collections.emptyNavigableMap();
        }
        ByteKey from = ByteKey.of(range.from());
        return range.end() == null ? data.tailMap(from, true) : data.subMap(from, true, ByteKey.of(range.end()), false);
    }

    /** Keys starting with {@code prefix}, sorted, at most {@code limit} ({@code more}: whether there were more). */
    ScanResult scan(byte[] prefix, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("scan limit must be >= 1, got " + limit);
        }
        List<KeyValue> out = new ArrayList<>(Math.min(limit, 256));
        boolean more = false;
        for (Map.Entry<ByteKey, StoredValue> e : data.tailMap(ByteKey.of(prefix), true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                more = true;
                break;
            }
            out.add(e.getValue().toKeyValue(e.getKey()));
        }
        return new ScanResult(revision, out, more);
    }

    /**
     * Runs a transaction all or nothing. If an op throws (a bug: decoded ops cannot fail), every change already made
     * is undone and the revision is unchanged before the exception propagates.
     */
    Outcome execute(Txn txn) {
        boolean succeeded = txn.compares().stream().allMatch(this::holds);
        List<Op> ops = succeeded ? txn.thenOps() : txn.elseOps();
        for (Op op : ops) {
            if (op instanceof Op.Put put && put.lease() != 0 && !leases.containsKey(put.lease())) {
                throw new LeaseException(LeaseException.Reason.NOT_FOUND, put.lease());
            }
            if (op instanceof Op.Range r) {
                checkReadable(r.revision(), revision); // before any write: a refused read leaves nothing to undo
            }
        }
        long writeRevision = revision + 1;
        Map<ByteKey, StoredValue> undo = new HashMap<>(); // first value seen per touched key; null = was absent
        List<WatchEvent> events = new ArrayList<>();
        List<OpResult> results = new ArrayList<>(ops.size());
        try {
            for (Op op : ops) {
                results.add(run(op, writeRevision, undo, events));
            }
        } catch (RuntimeException e) {
            rollback(undo);
            throw e;
        }
        if (!events.isEmpty()) {
            revision = writeRevision;
            history.record(writeRevision, undo);
        }
        return new Outcome(new TxnResult(succeeded, revision, results), events);
    }

    private OpResult run(Op op, long writeRevision, Map<ByteKey, StoredValue> undo, List<WatchEvent> events) {
        if (op instanceof Op.Range r) {
            if (r.revision() == 0) {
                return new OpResult.Range(range(r.range()).toList());
            }
            // This transaction's own earlier writes are undone first: they come after the revision read.
            return new OpResult.Range(history.at(r.revision(), r.range(), entries(r.range()), undo).entrySet().stream()
                    .map(e -> e.getValue().toKeyValue(e.getKey())).toList());
        }
        if (op instanceof Op.DeleteRange d) {
            List<KeyValue> removed = range(d.range()).toList();
            for (KeyValue kv : removed) {
                ByteKey key = ByteKey.of(kv.keyUnsafe());
                StoredValue old = data.remove(key);
                undo.putIfAbsent(key, old);
                events.add(deleteEvent(key, old, writeRevision));
            }
            return new OpResult.DeleteRange(removed.size(), d.returnPrevious() ? removed : List.of());
        }
        ByteKey key = ByteKey.of(op.key());
        StoredValue old = data.get(key);
        if (op instanceof Op.Put put) {
            undo.putIfAbsent(key, old);
            StoredValue now = old == null
                    ? new StoredValue(put.value(), writeRevision, writeRevision, 1, put.lease())
                    : new StoredValue(put.value(), old.createRevision(), writeRevision, old.version() + 1, put.lease());
            data.put(key, now);
            events.add(WatchEvent.of(WatchEvent.Type.PUT, key.bytesUnsafe(), old == null ? null : old.value(),
                    put.value(), writeRevision, new WatchEvent.KeyMeta(now.createRevision(), now.version(),
                            old == null ? 0 : old.modRevision())));
            return new OpResult.Put(previous(key, old, put.returnPrevious()));
        }
        if (op instanceof Op.Delete delete) {
            if (old == null) {
                return new OpResult.Delete(0, Optional.empty());
            }
            undo.putIfAbsent(key, old);
            data.remove(key);
            events.add(deleteEvent(key, old, writeRevision));
            return new OpResult.Delete(1, previous(key, old, delete.returnPrevious()));
        }
        return new OpResult.Get(previous(key, old, true));
    }

    private static WatchEvent deleteEvent(ByteKey key, StoredValue old, long revision) {
        return WatchEvent.of(WatchEvent.Type.DELETE, key.bytesUnsafe(), old.value(), null, revision,
                new WatchEvent.KeyMeta(old.createRevision(), old.version(), old.modRevision()));
    }

    private static Optional<KeyValue> previous(ByteKey key, StoredValue old, boolean wanted) {
        return wanted && old != null ? Optional.of(old.toKeyValue(key)) : Optional.empty();
    }

    private void rollback(Map<ByteKey, StoredValue> undo) {
        undo.forEach((key, old) -> {
            if (old == null) {
                data.remove(key);
            } else {
                data.put(key, old);
            }
        });
    }

    private boolean holds(Compare c) {
        KeyRange range = c.range();
        if (range == null) {
            return holds(c, data.get(ByteKey.of(c.key())));
        }
        NavigableMap<ByteKey, StoredValue> keys = entries(range);
        return keys.isEmpty() ? holds(c, null) : keys.values().stream().allMatch(v -> holds(c, v));
    }

    private static boolean holds(Compare c, StoredValue v) {
        return switch (c.target()) {
            // etcd: comparing the value of a missing key is false whatever the operator.
            case VALUE -> v != null && c.operator().holds(Arrays.compareUnsigned(v.value(), c.value()));
            case VERSION -> c.operator().holds(Long.compare(v == null ? 0 : v.version(), c.number()));
            case MOD_REVISION -> c.operator().holds(Long.compare(v == null ? 0 : v.modRevision(), c.number()));
            case CREATE_REVISION -> c.operator().holds(Long.compare(v == null ? 0 : v.createRevision(), c.number()));
        };
    }

    /**
     * Applies a lease command. A grant of an existing id or a keep-alive / revoke of a missing one throws
     * {@link LeaseException} and changes nothing; a revoke deletes the lease's keys in one revision.
     */
    Outcome execute(LeaseCommand command) {
        long id = command.id();
        switch (command.action()) {
            case GRANT -> {
                if (leases.containsKey(id)) {
                    throw new LeaseException(LeaseException.Reason.EXISTS, id);
                }
                leases.put(id, command.ttlSeconds());
                return new Outcome(new TxnResult(true, revision, List.of()), List.of());
            }
            case KEEP_ALIVE -> {
                requireLease(id);
                return new Outcome(new TxnResult(true, revision, List.of()), List.of());
            }
            default -> {
                requireLease(id);
                List<KeyValue> attached = data.entrySet().stream().filter(e -> e.getValue().lease() == id)
                        .map(e -> e.getValue().toKeyValue(e.getKey())).toList();
                long writeRevision = revision + 1;
                List<WatchEvent> events = new ArrayList<>();
                Map<ByteKey, StoredValue> before = new HashMap<>();
                for (KeyValue kv : attached) {
                    ByteKey key = ByteKey.of(kv.keyUnsafe());
                    StoredValue old = data.remove(key);
                    before.put(key, old);
                    events.add(deleteEvent(key, old, writeRevision));
                }
                leases.remove(id);
                if (!events.isEmpty()) {
                    revision = writeRevision;
                    history.record(writeRevision, before);
                }
                return new Outcome(new TxnResult(true, revision,
                        List.of(new OpResult.DeleteRange(attached.size(), List.of()))), events);
            }
        }
    }

    private void requireLease(long id) {
        if (!leases.containsKey(id)) {
            throw new LeaseException(LeaseException.Reason.NOT_FOUND, id);
        }
    }

    /** Lease id to TTL (seconds), a copy. */
    Map<Long, Long> leases() {
        return new TreeMap<>(leases);
    }

    /** The keys attached to lease {@code id}, in key order. */
    List<KeyValue> keysOf(long id) {
        return data.entrySet().stream().filter(e -> e.getValue().lease() == id)
                .map(e -> e.getValue().toKeyValue(e.getKey())).toList();
    }

    /** A read-only view for snapshots (valid until the next write; the caller runs on the apply thread). */
    NavigableMap<ByteKey, StoredValue> view() {
        return Collections.unmodifiableNavigableMap(data);
    }

    /** The retained history, oldest first, and its compaction point (for snapshots). */
    List<RevisionHistory.Revision> historyRecords() {
        return history.records();
    }

    /** Replaces the whole state (snapshot restore). */
    void replace(KvSnapshotFormat.Contents contents) {
        data = contents.data();
        leases = contents.leases();
        revision = contents.revision();
        history.replace(contents.compactedRevision(), contents.history());
    }
}
