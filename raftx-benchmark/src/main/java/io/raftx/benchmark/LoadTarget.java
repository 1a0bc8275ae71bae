package io.raftx.benchmark;

import java.util.concurrent.CompletableFuture;

/** What the load generator drives: a KV cluster. {@code i} is the operation number (used to spread load). */
interface LoadTarget extends AutoCloseable {

    CompletableFuture<?> put(long i, byte[] key, byte[] value);

    /** {@code serializable}: may be served from the receiving node's state; otherwise linearizable. */
    CompletableFuture<?> get(long i, byte[] key, boolean serializable);

    @Override
    void close();
}
