package io.raftx.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.InvalidRequestException;
import io.raftx.kv.LeaseException;
import io.raftx.kv.RevisionException;
import io.raftx.node.RaftException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Answers unary calls from futures and maps RaftX failures to the gRPC statuses etcd clients understand. */
final class EtcdCalls {

    private EtcdCalls() {
    }

    @FunctionalInterface
    interface Call<T> {
        CompletableFuture<T> start();
    }

    static <T> void unary(StreamObserver<T> out, Call<T> call) {
        CompletableFuture<T> f;
        try {
            f = call.start();
        } catch (RuntimeException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        f.whenComplete((result, err) -> {
            if (err != null) {
                out.onError(toStatus(err).asRuntimeException());
            } else {
                out.onNext(result);
                out.onCompleted();
            }
        });
    }

    /** The failure a future completed with, without the CompletionException around it. */
    static Throwable cause(Throwable err) {
        return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    }

    static Status toStatus(Throwable err) {
        Throwable e = cause(err);
        if (e instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        if (e instanceof LeaseException le) {
            return (le.reason() == LeaseException.Reason.NOT_FOUND ? EtcdErrors.leaseNotFound()
                    : EtcdErrors.leaseExists()).getStatus();
        }
        if (e instanceof RevisionException re) {
            return (re.reason() == RevisionException.Reason.COMPACTED ? EtcdErrors.compacted()
                    : EtcdErrors.futureRevision()).getStatus();
        }
        if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        if (e instanceof RaftException re) {
            // Definitely not applied: safe to retry, etcd clients retry UNAVAILABLE. Otherwise the outcome is unknown.
            return re.definitelyNotApplied() ? Status.UNAVAILABLE.withDescription(e.getMessage())
                    : Status.DEADLINE_EXCEEDED.withDescription("outcome unknown: " + e.getMessage());
        }
        return Status.INTERNAL.withDescription(String.valueOf(e));
    }
}
