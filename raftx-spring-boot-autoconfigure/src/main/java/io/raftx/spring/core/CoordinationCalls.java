package io.raftx.spring.core;

import io.raftx.coordination.LockLease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on the core's lock and election futures, with the template's exception translation. */
final class CoordinationCalls {

    private CoordinationCalls() {
    }

    /**
     * Waits up to {@code max} (plus a second of slack: the core bounds its own attempts), translating failures. If
     * the caller gives up (timeout, interrupt) while a grant is in flight, the grant is released when it arrives.
     */
    static <T> T await(String operation, CompletableFuture<T> pending, Duration max) {
        try {
            return pending.get(max.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw RaftxExceptionTranslator.translate(operation, e.getCause(), false);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            pending.thenAccept(late -> {
                if (late instanceof Optional<?> o && o.orElse(null) instanceof LockLease lease) {
                    lease.release();
                }
            });
            throw new RaftxNotAppliedException(operation + " gave up waiting" + (e instanceof InterruptedException
                    ? " (interrupted)" : " after " + max), e);
        }
    }
}
