package io.raftx.spring.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.springframework.dao.DataAccessException;

/**
 * Runs {@link RaftxCall}s for the synchronous and the asynchronous template: starts them, reports them to the
 * observer, and translates failures. The synchronous form translates on the caller's thread so that the exception's
 * stack trace shows the caller.
 */
final class RaftxCallRunner {

    private final RaftxRequestObserver observer;
    private final RaftxObservations observations;
    private final Executor asyncExecutor;

    RaftxCallRunner(RaftxRequestObserver observer, RaftxObservations observations, Executor asyncExecutor) {
        this.observer = observer;
        this.observations = observations;
        this.asyncExecutor = asyncExecutor;
    }

    <R, T> T await(RaftxCall<R, T> call) {
        CompletableFuture<R> pending = start(call);
        R result;
        try {
            result = pending.get();
        } catch (ExecutionException e) {
            throw RaftxExceptionTranslator.translate(call.describe(), e.getCause(), call.write());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            String message = call.describe() + " interrupted while waiting for the outcome";
            throw call.write()
                    ? new RaftxUnknownOutcomeException(message + "; the write may still be applied", e)
                    : new RaftxNotAppliedException(message, e);
        }
        return finish(call, result);
    }

    /** The returned future completes on the async executor, with a {@link RaftxException} on failure. */
    <R, T> CompletableFuture<T> submit(RaftxCall<R, T> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        start(call).whenCompleteAsync((result, failure) -> {
            try {
                if (failure != null) {
                    outcome.completeExceptionally(RaftxExceptionTranslator.translate(call.describe(), failure,
                            call.write()));
                } else {
                    outcome.complete(finish(call, result));
                }
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }, asyncExecutor);
        return outcome;
    }

    private <R> CompletableFuture<R> start(RaftxCall<R, ?> call) {
        long startedAt = System.nanoTime();
        RaftxObservations.Started observation = observations.start(call);
        CompletableFuture<R> pending;
        try {
            pending = call.start().get();
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        if (observer != RaftxRequestObserver.NONE || observation != null) {
            pending.whenComplete((result, failure) -> observe(call, observation, failure,
                    System.nanoTime() - startedAt));
        }
        return pending;
    }

    private void observe(RaftxCall<?, ?> call, RaftxObservations.Started observation, Throwable failure,
                         long nanos) {
        DataAccessException translated = failure == null ? null
                : RaftxExceptionTranslator.translate(call.describe(), failure, call.write());
        if (observation != null) {
            observation.stop(RaftxRequestObserver.Outcome.of(translated), translated);
        }
        try {
            observer.requestCompleted(new RaftxRequestObserver.CompletedRequest(call.operation(), call.write(),
                    call.consistency(), RaftxRequestObserver.Outcome.of(translated), nanos));
        } catch (RuntimeException ignored) {
            // A broken observer must not fail requests, nor the event loop it may run on.
        }
    }

    private static <R, T> T finish(RaftxCall<R, T> call, R result) {
        try {
            return call.finish().apply(result);
        } catch (RuntimeException e) {
            if (e instanceof RaftxException) {
                throw e;
            }
            throw new RaftxSerializationException(call.describe() + ": cannot read the stored value: " + e, e);
        }
    }
}
