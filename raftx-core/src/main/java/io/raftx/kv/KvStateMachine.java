package io.raftx.kv;

import io.raftx.kv.watch.WatchHub;
import io.raftx.kv.watch.WatchOptions;
import io.raftx.statemachine.SnapshotCapture;
import io.raftx.statemachine.StateMachine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated key-value store: applies {@link KvCodec} commands (transactions) to a {@link KvStore} and
 * publishes each written revision's events to its {@link WatchHub}, after the write is applied.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot}, {@link #restore} and the reads ({@link #get}, {@link #scan}) must
 * run on the node's loop thread; {@link KvClient} routes reads through {@code RaftNode.read} for that reason.
 * {@link #revision()} may be read from any thread.
 */
public final class KvStateMachine implements StateMachine, SnapshotCapture, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KvStateMachine.class);

    private final KvStore store;
    private final WatchHub watches;
    private volatile LeaseObserver leaseObserver = NO_LEASE_OBSERVER;

    private static final LeaseObserver NO_LEASE_OBSERVER = new LeaseObserver() {
        @Override
        public void granted(long id, long ttlSeconds) {
        }

        @Override
        public void keptAlive(long id, long ttlSeconds) {
        }

        @Override
        public void revoked(long id) {
        }

        @Override
        public void reset(Map<Long, Long> leases) {
        }
    };

    public KvStateMachine() {
        this(new WatchHub());
    }

    public KvStateMachine(WatchOptions watchOptions) {
        this(new WatchHub(watchOptions));
    }

    public KvStateMachine(WatchHub watches) {
        this(watches, new KvStore());
    }

    /** With history bounds of its own (tests): every replica of one cluster must use the same bounds. */
    KvStateMachine(WatchHub watches, int maxHistoryRevisions, long maxHistoryBytes) {
        this(watches, new KvStore(new RevisionHistory(maxHistoryRevisions, maxHistoryBytes)));
    }

    private KvStateMachine(WatchHub watches, KvStore store) {
        this.watches = watches;
        this.store = store;
    }

    /**
     * Applies one committed command. Never throws for bad input: a malformed command (or a bug while executing one,
     * which is rolled back) yields an error result, the same on every replica, and leaves the state unchanged.
     */
    @Override
    public byte[] apply(long index, byte[] command) {
        if (KvCodec.isCompactCommand(command)) {
            return applyCompact(index, command);
        }
        LeaseCommand lease = null;
        Txn txn = null;
        try {
            if (KvCodec.isLeaseCommand(command)) {
                lease = KvCodec.decodeLease(command);
            } else {
                txn = KvCodec.decodeTxn(command);
            }
        } catch (MalformedCommandException e) {
            log.warn("entry {}: malformed KV command ignored: {}", index, e.getMessage());
            return KvCodec.encodeError("malformed KV command at index " + index + ": " + e.getMessage());
        }
        KvStore.Outcome outcome;
        try {
            outcome = lease != null ? store.execute(lease) : store.execute(txn);
        } catch (LeaseException e) {
            return KvCodec.encodeLeaseError(e); // a missing or duplicate lease: refused the same way on every replica
        } catch (RevisionException e) {
            return KvCodec.encodeRevisionError(e); // a read in the txn named a revision outside the history
        } catch (RuntimeException e) {
            log.error("entry {}: KV command failed and was rolled back", index, e);
            return KvCodec.encodeError("KV command at index " + index + " failed and was rolled back: " + e);
        }
        if (lease != null) {
            tellLeaseObserver(lease);
        }
        if (!outcome.events().isEmpty()) {
            try {
                watches.publish(outcome.result().revision(), outcome.events());
            } catch (RuntimeException e) {
                // The write is applied on every replica regardless; a broken notification must not stop the node.
                log.error("entry {}: publishing watch events of revision {} failed", index,
                        outcome.result().revision(), e);
            }
        }
        return KvCodec.encodeResult(outcome.result());
    }

    /** Compaction is replicated, so every replica keeps the same history and answers a past read the same way. */
    private byte[] applyCompact(long index, byte[] command) {
        long revision;
        try {
            revision = KvCodec.decodeCompact(command);
            store.compact(revision);
        } catch (MalformedCommandException e) {
            log.warn("entry {}: malformed KV compact command ignored: {}", index, e.getMessage());
            return KvCodec.encodeError("malformed KV command at index " + index + ": " + e.getMessage());
        } catch (RevisionException e) {
            return KvCodec.encodeRevisionError(e);
        }
        watches.compact(revision);
        return KvCodec.encodeResult(new TxnResult(true, store.revision(), List.of()));
    }

    private void tellLeaseObserver(LeaseCommand c) {
        LeaseObserver o = leaseObserver;
        try {
            switch (c.action()) {
                case GRANT -> o.granted(c.id(), c.ttlSeconds());
                case KEEP_ALIVE -> o.keptAlive(c.id(), store.leases().get(c.id()));
                case REVOKE -> o.revoked(c.id());
            }
        } catch (RuntimeException e) {
            log.error("lease observer failed on {}", c, e);
        }
    }

    /**
     * Sets the one observer of lease changes (a lease clock). It is told of changes applied from now on; it reads the
     * current table with {@link #leases()} on the loop thread.
     */
    public void setLeaseObserver(LeaseObserver observer) {
        this.leaseObserver = observer == null ? NO_LEASE_OBSERVER : observer;
    }

    /** Lease id to TTL in seconds (call on the loop thread). */
    public Map<Long, Long> leases() {
        return store.leases();
    }

    /** The keys attached to lease {@code id} (call on the loop thread). */
    public List<KeyValue> keysOfLease(long id) {
        return store.keysOf(id);
    }

    public Optional<KeyValue> get(byte[] key) {
        return store.get(key);
    }

    public Optional<KeyValue> get(String key) {
        return get(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Keys starting with {@code prefix} (empty = all), sorted by unsigned bytes, at most {@code limit}. */
    public ScanResult scan(byte[] prefix, int limit) {
        return store.scan(prefix, limit);
    }

    /**
     * The keys of {@code range} in key order, as a lazy stream over the live state: call and consume it on the
     * loop thread (inside {@code RaftNode.read}).
     */
    public java.util.stream.Stream<KeyValue> range(KeyRange range) {
        return store.range(range);
    }

    /**
     * The keys of {@code range} as of {@code revision} (0: now), from the retained history; throws
     * {@link RevisionException} below {@link #compactedRevision()} or above {@link #revision()}. Call and consume it
     * on the loop thread.
     */
    public java.util.stream.Stream<KeyValue> range(KeyRange range, long revision) {
        return store.range(range, revision);
    }

    /** Reads may name this revision or a later one; the history of earlier ones is gone (0: nothing compacted). */
    public long compactedRevision() {
        return store.compactedRevision();
    }

    /** The revision of the last write applied (0 for an empty, never-written store). */
    public long revision() {
        return store.revision();
    }

    /** Number of keys. */
    public int size() {
        return store.size();
    }

    public WatchHub watches() {
        return watches;
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        captureSnapshot().writeTo(out);
    }

    /**
     * Copies the map of keys (references: keys and values are immutable), the leases and the history list, so the
     * snapshot file is written off the loop: the copy grows with the number of keys and retained revisions, not with
     * their bytes (an 8 MB file took 435-533 ms to write on the loop in the failover benchmark).
     */
    @Override
    public CapturedState captureSnapshot() {
        long revision = store.revision();
        NavigableMap<ByteKey, StoredValue> data = new TreeMap<>(store.view());
        Map<Long, Long> leases = store.leases();
        long compactedRevision = store.compactedRevision();
        List<RevisionHistory.Revision> history = store.historyRecords();
        return out -> KvSnapshotFormat.write(out, revision, data, leases, compactedRevision, history);
    }

    /** Replaces the whole state; fires no watch events (a watch resuming from before it fails as compacted). */
    @Override
    public void restore(InputStream in) throws IOException {
        KvSnapshotFormat.Contents contents = KvSnapshotFormat.read(new BufferedInputStream(in, 64 * 1024));
        store.replace(contents);
        watches.reset(contents.revision());
        leaseObserver.reset(store.leases());
        log.info("KV state restored from snapshot: {} keys at revision {}, history from revision {}",
                contents.data().size(), contents.revision(), contents.compactedRevision());
    }

    /** Cancels every watch and stops the watch delivery threads. */
    @Override
    public void close() {
        watches.close();
    }
}
