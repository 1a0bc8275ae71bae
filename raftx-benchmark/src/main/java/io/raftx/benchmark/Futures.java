package io.raftx.benchmark;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;

final class Futures {

    private Futures() {
    }

    static <T> CompletableFuture<T> of(ListenableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        com.google.common.util.concurrent.Futures.addCallback(f, new FutureCallback<>() {
            @Override
            public void onSuccess(T result) {
                out.complete(result);
            }

            @Override
            public void onFailure(Throwable t) {
                out.completeExceptionally(t);
            }
        }, MoreExecutors.directExecutor());
        return out;
    }
}
