package io.raftx.spring.core;

import io.raftx.kv.Compare;
import io.raftx.kv.Op;
import io.raftx.kv.OpResult;
import io.raftx.kv.TxnResult;
import io.raftx.kv.Txn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A multi-key transaction, etcd style: if every condition holds, the then-operations run, otherwise the
 * else-operations; all at once, at one revision, on every node. Obtain one from {@link RaftxOperations#transaction()}:
 *
 * <pre>{@code
 * RaftxTransactionResult<String> result = template.transaction()
 *         .ifValue("config.mode", "blue")
 *         .thenSet("config.mode", "green").thenDelete("config.pending")
 *         .elseGet("config.mode")
 *         .execute();
 * }</pre>
 *
 * Not thread-safe; build and execute it on one thread. Executing it twice proposes it twice.
 */
public final class RaftxTransaction<V> {

    private final KeyValueCalls<V> calls;
    private final RaftxCallRunner runner;
    private final List<Compare> conditions = new ArrayList<>();
    private final Branch thenBranch = new Branch();
    private final Branch elseBranch = new Branch();

    RaftxTransaction(KeyValueCalls<V> calls, RaftxCallRunner runner) {
        this.calls = calls;
        this.runner = runner;
    }

    /** Holds when the key's current value equals {@code expected}; false when the key is absent. */
    public RaftxTransaction<V> ifValue(String key, V expected) {
        conditions.add(Compare.value(KeyValueCalls.keyBytes(key), Compare.Operator.EQUAL,
                calls.valueBytes(key, expected)));
        return this;
    }

    public RaftxTransaction<V> ifAbsent(String key) {
        conditions.add(Compare.absent(KeyValueCalls.keyBytes(key)));
        return this;
    }

    public RaftxTransaction<V> ifPresent(String key) {
        conditions.add(Compare.present(KeyValueCalls.keyBytes(key)));
        return this;
    }

    /** Holds when the key was last written at {@code modRevision} (0: the key is absent). */
    public RaftxTransaction<V> ifModRevision(String key, long modRevision) {
        conditions.add(Compare.modRevision(KeyValueCalls.keyBytes(key), Compare.Operator.EQUAL, modRevision));
        return this;
    }

    /** Holds when the key has been written {@code version} times since it was created (0: absent). */
    public RaftxTransaction<V> ifVersion(String key, long version) {
        conditions.add(Compare.version(KeyValueCalls.keyBytes(key), Compare.Operator.EQUAL, version));
        return this;
    }

    public RaftxTransaction<V> thenSet(String key, V value) {
        thenBranch.set(key, value);
        return this;
    }

    public RaftxTransaction<V> thenDelete(String key) {
        thenBranch.delete(key);
        return this;
    }

    /** Reads the key as of this point of the transaction, into {@link RaftxTransactionResult#values()}. */
    public RaftxTransaction<V> thenGet(String key) {
        thenBranch.get(key);
        return this;
    }

    public RaftxTransaction<V> elseSet(String key, V value) {
        elseBranch.set(key, value);
        return this;
    }

    public RaftxTransaction<V> elseDelete(String key) {
        elseBranch.delete(key);
        return this;
    }

    public RaftxTransaction<V> elseGet(String key) {
        elseBranch.get(key);
        return this;
    }

    /** Proposes the transaction and waits until it is applied. */
    public RaftxTransactionResult<V> execute() {
        return runner.await(call());
    }

    /** Proposes the transaction; the future completes on the template's async executor. */
    public CompletableFuture<RaftxTransactionResult<V>> executeAsync() {
        return runner.submit(call());
    }

    private RaftxCall<?, RaftxTransactionResult<V>> call() {
        Txn txn = Txn.builder()
                .when(conditions.toArray(Compare[]::new))
                .then(thenBranch.ops.toArray(Op[]::new))
                .orElse(elseBranch.ops.toArray(Op[]::new))
                .build();
        return calls.transaction(txn, this::read);
    }

    private RaftxTransactionResult<V> read(TxnResult result) {
        Map<String, V> values = new LinkedHashMap<>();
        long deleted = 0;
        for (OpResult op : result.results()) {
            if (op instanceof OpResult.Get get && get.keyValue().isPresent()) {
                values.put(get.keyValue().get().keyAsString(), calls.serializer().deserialize(get.keyValue().get().value()));
            } else if (op instanceof OpResult.Delete delete) {
                deleted += delete.deleted();
            }
        }
        return new RaftxTransactionResult<>(result.succeeded(), result.revision(), values, deleted);
    }

    private final class Branch {
        final List<Op> ops = new ArrayList<>();

        void set(String key, V value) {
            ops.add(Op.put(KeyValueCalls.keyBytes(key), calls.valueBytes(key, value)));
        }

        void delete(String key) {
            ops.add(Op.delete(KeyValueCalls.keyBytes(key)));
        }

        void get(String key) {
            ops.add(Op.get(KeyValueCalls.keyBytes(key)));
        }
    }
}
