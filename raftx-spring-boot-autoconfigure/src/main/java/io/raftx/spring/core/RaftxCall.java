package io.raftx.spring.core;

import io.raftx.node.ReadConsistency;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One template operation, independent of how the caller waits for it: {@code start} sends the request through the
 * KV client (argument errors it throws become a failed request); {@code finish} turns the client's result into the
 * API type, deserializing values, on the caller's thread or the async executor, never on the node's event loop.
 *
 * @param consistency the read's consistency; null for a write
 */
record RaftxCall<R, T>(String operation, String target, boolean write, ReadConsistency consistency,
                       Supplier<CompletableFuture<R>> start, Function<R, T> finish) {

    static <R, T> RaftxCall<R, T> write(String operation, String target, Supplier<CompletableFuture<R>> start,
                                        Function<R, T> finish) {
        return new RaftxCall<>(operation, target, true, null, start, finish);
    }

    static <R, T> RaftxCall<R, T> read(String operation, String target, ReadConsistency consistency,
                                       Supplier<CompletableFuture<R>> start, Function<R, T> finish) {
        return new RaftxCall<>(operation, target, false, consistency, () -> {
            if (consistency == null) {
                throw new IllegalArgumentException("consistency must not be null");
            }
            return start.get();
        }, finish);
    }

    String describe() {
        return target == null ? operation : operation + " '" + target + "'";
    }
}
