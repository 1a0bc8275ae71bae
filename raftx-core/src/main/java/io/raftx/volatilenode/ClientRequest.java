package io.raftx.volatilenode;

import io.raftx.node.RaftException;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileValue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client request on the node it was made on (its origin), from submission until its future completes: a write
 * ({@code op}) or a strong read ({@code readKey}). Loop-thread state, except the futures, which complete on the
 * client executor so that no caller code ever runs on the event loop.
 */
final class ClientRequest {

    final VolatileOp op;
    final String readKey;
    final long deadlineNanos;
    private final CompletableFuture<VolatileWriteResult> written;
    private final CompletableFuture<Optional<VolatileValue>> read;
    private final Executor completions;
    /** The forward attempt in flight (0: none); replies to other attempts are stale. */
    long attemptId;
    /** The leader the attempt in flight was forwarded to. */
    String forwardedTo;
    /**
     * True while a write may have reached a leader without a definite answer. Requests are retried only after a
     * definite refusal, one attempt at a time, so this is exact: a timeout while it holds is an unknown outcome.
     */
    boolean mayBeApplied;
    /** Why the last attempt did not go through, for the error message if the deadline passes. */
    String lastProblem = "no leader known";

    private ClientRequest(VolatileOp op, String readKey, long deadlineNanos, Executor completions) {
        this.op = op;
        this.readKey = readKey;
        this.deadlineNanos = deadlineNanos;
        this.completions = completions;
        this.written = op != null ? new CompletableFuture<>() : null;
        this.read = op == null ? new CompletableFuture<>() : null;
    }

    static ClientRequest write(VolatileOp op, long deadlineNanos, Executor completions) {
        return new ClientRequest(op, null, deadlineNanos, completions);
    }

    static ClientRequest strongRead(String key, long deadlineNanos, Executor completions) {
        return new ClientRequest(null, key, deadlineNanos, completions);
    }

    boolean isWrite() {
        return op != null;
    }

    CompletableFuture<VolatileWriteResult> writeFuture() {
        return written;
    }

    CompletableFuture<Optional<VolatileValue>> readFuture() {
        return read;
    }

    boolean isDone() {
        return isWrite() ? written.isDone() : read.isDone();
    }

    void completeWrite(VolatileWriteResult result) {
        complete(() -> written.complete(result));
    }

    void completeRead(VolatileValue value) {
        complete(() -> read.complete(Optional.ofNullable(value)));
    }

    void fail(RaftException error) {
        complete(() -> {
            if (isWrite()) {
                written.completeExceptionally(error);
            } else {
                read.completeExceptionally(error);
            }
        });
    }

    /** On the client executor; on the calling thread once that has shut down (the node stopped). */
    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    String describe() {
        return isWrite() ? "volatile write " + op : "strong volatile read of '" + readKey + "'";
    }
}
