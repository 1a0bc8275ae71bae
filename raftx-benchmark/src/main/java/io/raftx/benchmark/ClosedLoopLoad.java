package io.raftx.benchmark;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: keeps exactly {@code inFlight} operations outstanding, starting the next one when one
 * completes, until {@code ops} have completed. Latency is recorded per operation, from start to completion.
 */
final class ClosedLoopLoad {

    record Result(String mode, long ops, long errors, double seconds, double p50Ms, double p99Ms) {
        double opsPerSecond() {
            return ops / seconds;
        }

        String line() {
            return String.format("mode=%s ops/s=%.0f p50=%.2fms p99=%.2fms errors=%d", mode, opsPerSecond(), p50Ms,
                    p99Ms, errors);
        }
    }

    private final long ops;
    private final LongFunction<CompletableFuture<?>> op;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch done;

    private ClosedLoopLoad(long ops, LongFunction<CompletableFuture<?>> op) {
        this.ops = ops;
        this.op = op;
        this.done = new CountDownLatch((int) ops);
    }

    /** {@code op} starts operation number i and returns its completion. */
    static Result run(String mode, int inFlight, long ops, LongFunction<CompletableFuture<?>> op) throws InterruptedException {
        ClosedLoopLoad load = new ClosedLoopLoad(ops, op);
        long t0 = System.nanoTime();
        for (int i = 0; i < Math.min(inFlight, ops); i++) {
            load.startNext();
        }
        if (!load.done.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("load did not finish: " + load.done.getCount() + " operations outstanding");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Histogram h = load.recorder.getIntervalHistogram();
        return new Result(mode, ops, load.errors.get(), seconds, h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6);
    }

    /** Starts operations until one is still running; completions that arrive synchronously loop here, not recurse. */
    private void startNext() {
        while (true) {
            long i = started.getAndIncrement();
            if (i >= ops) {
                return;
            }
            long begin = System.nanoTime();
            CompletableFuture<?> f;
            try {
                f = op.apply(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            if (!f.isDone()) {
                f.whenComplete((r, err) -> {
                    finished(begin, err != null);
                    startNext();
                });
                return;
            }
            finished(begin, f.isCompletedExceptionally());
        }
    }

    private void finished(long begin, boolean failed) {
        recorder.recordValue(System.nanoTime() - begin);
        if (failed) {
            errors.incrementAndGet();
        }
        done.countDown();
    }
}
