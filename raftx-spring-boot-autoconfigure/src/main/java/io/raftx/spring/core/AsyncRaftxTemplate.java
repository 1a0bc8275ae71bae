package io.raftx.spring.core;

import io.raftx.node.ReadConsistency;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The {@link AsyncRaftxOperations} view of a {@link RaftxTemplate}. */
final class AsyncRaftxTemplate<V> implements AsyncRaftxOperations<V> {

    private final KeyValueCalls<V> calls;
    private final RaftxCallRunner runner;

    AsyncRaftxTemplate(KeyValueCalls<V> calls, RaftxCallRunner runner) {
        this.calls = calls;
        this.runner = runner;
    }

    @Override
    public CompletableFuture<Optional<V>> get(String key) {
        return get(key, ReadConsistency.LINEARIZABLE);
    }

    @Override
    public CompletableFuture<Optional<V>> get(String key, ReadConsistency consistency) {
        return runner.submit(calls.get(key, consistency));
    }

    @Override
    public CompletableFuture<Optional<RaftxEntry<V>>> getEntry(String key, ReadConsistency consistency) {
        return runner.submit(calls.getEntry(key, consistency));
    }

    @Override
    public CompletableFuture<Long> set(String key, V value) {
        return runner.submit(calls.set(key, value));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return runner.submit(calls.delete(key));
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, V value) {
        return runner.submit(calls.putIfAbsent(key, value));
    }

    @Override
    public CompletableFuture<Boolean> update(String key, V value) {
        return runner.submit(calls.update(key, value));
    }

    @Override
    public CompletableFuture<Boolean> compareAndSet(String key, V expected, V newValue) {
        return runner.submit(calls.compareAndSet(key, expected, newValue));
    }

    @Override
    public CompletableFuture<Map<String, V>> scan(String prefix) {
        return scan(prefix, Integer.MAX_VALUE, ReadConsistency.LINEARIZABLE).thenApply(RaftxScan::asMap);
    }

    @Override
    public CompletableFuture<RaftxScan<V>> scan(String prefix, int limit, ReadConsistency consistency) {
        return runner.submit(calls.scan(prefix, limit, consistency));
    }

    @Override
    public RaftxTransaction<V> transaction() {
        return new RaftxTransaction<>(calls, runner);
    }
}
