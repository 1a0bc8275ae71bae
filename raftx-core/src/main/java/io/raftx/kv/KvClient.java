package io.raftx.kv;

import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchListener;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed, asynchronous access to the replicated KV store through one node. Writes are proposed through the node
 * (a follower forwards them to the leader) and complete once applied; reads run on the node's loop thread against
 * its local {@link KvStateMachine}, after a linearizable barrier unless {@link ReadConsistency#LOCAL} is asked for.
 *
 * <p>Invalid input (empty or oversized key or value, too many ops) fails the future with
 * {@link InvalidRequestException} before anything is proposed. Other failures are the node's
 * {@link io.raftx.node.RaftException}s. Thread-safe.
 */
public final class KvClient {

    private final RaftNode node;
    private final KvStateMachine stateMachine;
    private final KvLimits limits;

    /** @param stateMachine the state machine {@code node} applies to */
    public KvClient(RaftNode node, KvStateMachine stateMachine) {
        this(node, stateMachine, KvLimits.DEFAULTS);
    }

    public KvClient(RaftNode node, KvStateMachine stateMachine, KvLimits limits) {
        this.node = Objects.requireNonNull(node, "node");
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public KvLimits limits() {
        return limits;
    }

    // ---- writes ----

    public CompletableFuture<PutResult> put(byte[] key, byte[] value) {
        return put(key, value, false);
    }

    /** Sets the key; with {@code returnPrevious} the result carries the replaced key-value. */
    public CompletableFuture<PutResult> put(byte[] key, byte[] value, boolean returnPrevious) {
        return submit(Txn.builder().then(new Op.Put(key, value, returnPrevious)).build(),
                r -> new PutResult(r.revision(), ((OpResult.Put) r.results().get(0)).previous()));
    }

    public CompletableFuture<DeleteResult> delete(byte[] key) {
        return delete(key, false);
    }

    public CompletableFuture<DeleteResult> delete(byte[] key, boolean returnPrevious) {
        return submit(Txn.builder().then(new Op.Delete(key, returnPrevious)).build(), r -> {
            OpResult.Delete d = (OpResult.Delete) r.results().get(0);
            return new DeleteResult(r.revision(), d.deleted(), d.previous());
        });
    }

    /** Writes only if the key is absent; on failure {@code previous} is the existing key-value. */
    public CompletableFuture<ConditionalResult> putIfAbsent(byte[] key, byte[] value) {
        return conditional(Compare.absent(key), key, value);
    }

    /** Writes only if the key exists; {@code previous} is the replaced key-value on success. */
    public CompletableFuture<ConditionalResult> update(byte[] key, byte[] value) {
        return conditional(Compare.present(key), key, value);
    }

    /**
     * Writes {@code newValue} only if the current value equals {@code expected}; {@code expected == null} means
     * "only if absent". On failure {@code previous} is the current key-value (empty if absent).
     */
    public CompletableFuture<ConditionalResult> compareAndSet(byte[] key, byte[] expected, byte[] newValue) {
        Compare condition = expected == null
                ? Compare.absent(key)
                : Compare.value(key, Compare.Operator.EQUAL, expected);
        return conditional(condition, key, newValue);
    }

    /** Writes only if the key's mod revision equals {@code expectedModRevision} (0 = only if absent). */
    public CompletableFuture<ConditionalResult> compareAndSetRevision(byte[] key, long expectedModRevision,
                                                                      byte[] newValue) {
        return conditional(Compare.modRevision(key, Compare.Operator.EQUAL, expectedModRevision), key, newValue);
    }

    /** Every conditional write is one transaction: on success the put reports what it replaced, else a get does. */
    private CompletableFuture<ConditionalResult> conditional(Compare condition, byte[] key, byte[] value) {
        Txn txn = Txn.builder().when(condition).then(new Op.Put(key, value, true)).orElse(Op.get(key)).build();
        return submit(txn, r -> {
            OpResult op = r.results().get(0);
            Optional<KeyValue> previous = op instanceof OpResult.Put p ? p.previous() : ((OpResult.Get) op).keyValue();
            return new ConditionalResult(r.succeeded(), r.revision(), previous);
        });
    }

    // ---- leases ----

    /** Grants lease {@code id} with a TTL; fails with {@link LeaseException} if the id is taken. */
    public CompletableFuture<Long> grantLease(long id, long ttlSeconds) {
        return submitLease(LeaseCommand.grant(id, ttlSeconds)).thenApply(TxnResult::revision);
    }

    /** Revokes lease {@code id}, deleting its keys in one revision; {@link LeaseException} if it does not exist. */
    public CompletableFuture<TxnResult> revokeLease(long id) {
        return submitLease(LeaseCommand.revoke(id));
    }

    /** Records a keep-alive of lease {@code id} (the lease clock restarts its TTL); {@link LeaseException} if gone. */
    public CompletableFuture<TxnResult> keepAliveLease(long id) {
        return submitLease(LeaseCommand.keepAlive(id));
    }

    /**
     * etcd's Compact, through the log: every replica drops the history below {@code revision}, and reads below it
     * fail with {@link RevisionException} from then on. Fails with {@link RevisionException} for a revision above the
     * store's or at or below the compaction point (nothing changed).
     */
    public CompletableFuture<TxnResult> compact(long revision) {
        if (revision <= 0) {
            return CompletableFuture.failedFuture(new InvalidRequestException(
                    "compaction revision must be positive, got " + revision));
        }
        return propose(KvCodec.encodeCompact(revision));
    }

    private CompletableFuture<TxnResult> submitLease(LeaseCommand command) {
        return propose(KvCodec.encodeLease(command));
    }

    private CompletableFuture<TxnResult> propose(byte[] command) {
        try {
            return node.propose(command).thenApply(applied -> KvCodec.decodeResult(applied.result()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs a multi-op transaction atomically at one revision. */
    public CompletableFuture<TxnResult> txn(Txn txn) {
        return submit(txn, Function.identity());
    }

    private <T> CompletableFuture<T> submit(Txn txn, Function<TxnResult, T> mapper) {
        try {
            limits.check(txn);
            return node.propose(KvCodec.encodeTxn(txn))
                    .thenApply(applied -> mapper.apply(KvCodec.decodeResult(applied.result())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // invalid input, or the node refused synchronously (shut down)
        }
    }

    // ---- reads ----

    /** A linearizable get. */
    public CompletableFuture<Optional<KeyValue>> get(byte[] key) {
        return get(key, ReadConsistency.LINEARIZABLE);
    }

    public CompletableFuture<Optional<KeyValue>> get(byte[] key, ReadConsistency consistency) {
        return read(consistency, () -> {
            limits.checkKey(key);
            byte[] copy = key.clone(); // the caller may reuse its array before the read runs
            return () -> stateMachine.get(copy);
        });
    }

    /** Up to {@code limit} keys starting with {@code prefix} (empty = all), sorted by unsigned bytes. */
    public CompletableFuture<ScanResult> scan(byte[] prefix, int limit, ReadConsistency consistency) {
        return read(consistency, () -> {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.length > limits.maxKeyBytes()) {
                throw new InvalidRequestException("prefix " + ByteKey.describe(prefix) + " is " + prefix.length
                        + " bytes; the limit maxKeyBytes is " + limits.maxKeyBytes());
            }
            if (limit < 1) {
                throw new InvalidRequestException("scan limit must be >= 1, got " + limit);
            }
            byte[] copy = prefix.clone();
            return () -> stateMachine.scan(copy, limit);
        });
    }

    /** Validates on the caller's thread, then runs the query on the loop thread. */
    private <T> CompletableFuture<T> read(ReadConsistency consistency, Supplier<Supplier<T>> validatedQuery) {
        try {
            return node.read(Objects.requireNonNull(consistency, "consistency"), validatedQuery.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- UTF-8 helpers ----

    public CompletableFuture<PutResult> put(String key, String value) {
        return put(utf8(key), utf8(value));
    }

    public CompletableFuture<Optional<KeyValue>> get(String key) {
        return get(utf8(key));
    }

    public CompletableFuture<Optional<KeyValue>> get(String key, ReadConsistency consistency) {
        return get(utf8(key), consistency);
    }

    /** The value as a string, or empty. */
    public CompletableFuture<Optional<String>> getString(String key, ReadConsistency consistency) {
        return get(utf8(key), consistency).thenApply(kv -> kv.map(KeyValue::valueAsString));
    }

    public CompletableFuture<DeleteResult> delete(String key) {
        return delete(utf8(key));
    }

    public CompletableFuture<ConditionalResult> putIfAbsent(String key, String value) {
        return putIfAbsent(utf8(key), utf8(value));
    }

    public CompletableFuture<ConditionalResult> update(String key, String value) {
        return update(utf8(key), utf8(value));
    }

    /** {@code expected == null} means "only if absent". */
    public CompletableFuture<ConditionalResult> compareAndSet(String key, String expected, String newValue) {
        return compareAndSet(utf8(key), expected == null ? null : utf8(expected), utf8(newValue));
    }

    public CompletableFuture<ConditionalResult> compareAndSetRevision(String key, long expectedModRevision,
                                                                      String newValue) {
        return compareAndSetRevision(utf8(key), expectedModRevision, utf8(newValue));
    }

    public CompletableFuture<ScanResult> scan(String prefix, int limit, ReadConsistency consistency) {
        return scan(utf8(prefix), limit, consistency);
    }

    private static byte[] utf8(String s) {
        return Objects.requireNonNull(s, "key and value strings must not be null").getBytes(StandardCharsets.UTF_8);
    }

    // ---- watches (this node's events) ----

    /** Watches this node's applied changes to keys matching {@code pattern}, from the next revision on. */
    public Watch watch(String pattern, WatchListener listener) {
        return stateMachine.watches().watch(pattern, listener);
    }

    /**
     * Watches from {@code fromRevision} (inclusive), replaying the retained history first.
     *
     * @throws io.raftx.kv.watch.CompactedException if that revision is no longer retained
     */
    public Watch watch(String pattern, long fromRevision, WatchListener listener) {
        return stateMachine.watches().watch(pattern, fromRevision, listener);
    }
}
