package io.raftx.spring.core;

import io.raftx.kv.ConditionalResult;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.ScanResult;
import io.raftx.kv.Txn;
import io.raftx.node.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/** Builds the KV {@link RaftxCall}s shared by the synchronous and the asynchronous template. */
final class KeyValueCalls<V> {

    private final KvClient kv;
    private final RaftxValueSerializer<V> serializer;

    KeyValueCalls(KvClient kv, RaftxValueSerializer<V> serializer) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    KvClient kv() {
        return kv;
    }

    RaftxValueSerializer<V> serializer() {
        return serializer;
    }

    RaftxCall<Optional<KeyValue>, Optional<RaftxEntry<V>>> getEntry(String key, ReadConsistency consistency) {
        return RaftxCall.read("get", key, consistency, () -> kv.get(keyBytes(key), consistency),
                found -> found.map(this::entry));
    }

    RaftxCall<Optional<KeyValue>, Optional<V>> get(String key, ReadConsistency consistency) {
        return RaftxCall.read("get", key, consistency, () -> kv.get(keyBytes(key), consistency),
                found -> found.map(kv -> serializer.deserialize(kv.value())));
    }

    RaftxCall<?, Long> set(String key, V value) {
        return RaftxCall.write("set", key, () -> kv.put(keyBytes(key), valueBytes(key, value)),
                result -> result.revision());
    }

    RaftxCall<?, Boolean> delete(String key) {
        return RaftxCall.write("delete", key, () -> kv.delete(keyBytes(key)), result -> result.deleted());
    }

    RaftxCall<ConditionalResult, Boolean> putIfAbsent(String key, V value) {
        return RaftxCall.write("putIfAbsent", key, () -> kv.putIfAbsent(keyBytes(key), valueBytes(key, value)),
                ConditionalResult::succeeded);
    }

    RaftxCall<ConditionalResult, Boolean> update(String key, V value) {
        return RaftxCall.write("update", key, () -> kv.update(keyBytes(key), valueBytes(key, value)),
                ConditionalResult::succeeded);
    }

    /** {@code expected == null} means "only if absent". */
    RaftxCall<ConditionalResult, Boolean> compareAndSet(String key, V expected, V newValue) {
        return RaftxCall.write("compareAndSet", key, () -> kv.compareAndSet(keyBytes(key),
                expected == null ? null : valueBytes(key, expected), valueBytes(key, newValue)),
                ConditionalResult::succeeded);
    }

    RaftxCall<ScanResult, RaftxScan<V>> scan(String prefix, int limit, ReadConsistency consistency) {
        return RaftxCall.read("scan", prefix, consistency,
                () -> kv.scan(Objects.requireNonNull(prefix, "prefix must not be null (use \"\" for all keys)")
                        .getBytes(StandardCharsets.UTF_8), limit, consistency),
                result -> new RaftxScan<>(result.revision(),
                        result.keyValues().stream().map(this::entry).toList(), result.more()));
    }

    RaftxCall<?, RaftxTransactionResult<V>> transaction(Txn txn, TransactionReader<V> reader) {
        return RaftxCall.write("transaction", null, () -> kv.txn(txn), reader::read);
    }

    RaftxEntry<V> entry(KeyValue kv) {
        return new RaftxEntry<>(kv.keyAsString(), serializer.deserialize(kv.value()), kv.createRevision(),
                kv.modRevision(), kv.version());
    }

    static byte[] keyBytes(String key) {
        if (key == null) {
            throw new RaftxInvalidRequestException("key must not be null", null);
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    byte[] valueBytes(String key, V value) {
        if (value == null) {
            throw new RaftxInvalidRequestException("value of '" + key + "' must not be null; delete removes a key",
                    null);
        }
        try {
            return serializer.serialize(value);
        } catch (RuntimeException e) {
            if (e instanceof RaftxException) {
                throw e;
            }
            throw new RaftxSerializationException("cannot serialize the value of '" + key + "': " + e, e);
        }
    }

    /** Maps a core transaction result to the template's, knowing which get-operations each branch had. */
    @FunctionalInterface
    interface TransactionReader<V> {
        RaftxTransactionResult<V> read(io.raftx.kv.TxnResult result);
    }
}
