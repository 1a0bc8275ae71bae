package io.raftx.spring.core;

import io.raftx.node.ReadConsistency;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking form of {@link RaftxOperations}. Futures complete on the template's async executor (never on the
 * node's event loop, so dependent stages may block) and fail with a {@link RaftxException}.
 *
 * @param <V> the value type
 */
public interface AsyncRaftxOperations<V> {

    CompletableFuture<Optional<V>> get(String key);

    CompletableFuture<Optional<V>> get(String key, ReadConsistency consistency);

    CompletableFuture<Optional<RaftxEntry<V>>> getEntry(String key, ReadConsistency consistency);

    CompletableFuture<Long> set(String key, V value);

    CompletableFuture<Boolean> delete(String key);

    CompletableFuture<Boolean> putIfAbsent(String key, V value);

    CompletableFuture<Boolean> update(String key, V value);

    CompletableFuture<Boolean> compareAndSet(String key, V expected, V newValue);

    CompletableFuture<Map<String, V>> scan(String prefix);

    CompletableFuture<RaftxScan<V>> scan(String prefix, int limit, ReadConsistency consistency);

    /** Starts building a transaction; run it with {@link RaftxTransaction#executeAsync()}. */
    RaftxTransaction<V> transaction();
}
