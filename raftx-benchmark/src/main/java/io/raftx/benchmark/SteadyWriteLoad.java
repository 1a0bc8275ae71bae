package io.raftx.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes without end until closed: a closed loop of {@code inFlight} puts spread over all nodes (the steady load),
 * plus one open-loop probe put every {@code probeMs}, also spread over all nodes, which keeps starting fresh writes
 * when every closed-loop slot waits on a dead or paused node. A slot whose write failed starts its next one after
 * {@code retryMs}, as a client with a retry backoff would: retrying at once against a dead node spins the load
 * generator (tens of thousands of failures a second) and takes the CPU the surviving nodes need to fail over.
 * After {@link #watchFrom(long)} it records when the first write that started at or after that instant was
 * acknowledged.
 */
final class SteadyWriteLoad implements AutoCloseable {

    private final LoadTarget target;
    private final int inFlight;
    private final byte[] value;
    private final byte[][] keys;
    private final ExecutorService completions = Executors.newFixedThreadPool(2, daemon("load"));
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(daemon("probe"));
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong firstAckAfter = new AtomicLong(Long.MAX_VALUE);
    private volatile long watchFrom = Long.MAX_VALUE;
    private volatile boolean running = true;
    private long retryMs;

    SteadyWriteLoad(LoadTarget target, int inFlight, int valueSize, int keyCount) {
        this.target = target;
        this.inFlight = inFlight;
        this.value = new byte[valueSize];
        Arrays.fill(value, (byte) 'v');
        this.keys = new byte[keyCount][];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = ("failover." + k).getBytes(StandardCharsets.UTF_8);
        }
    }

    void start(long probeMs, long retryMs) {
        this.retryMs = retryMs;
        for (int i = 0; i < inFlight; i++) {
            completions.execute(() -> write(true));
        }
        probes.scheduleAtFixedRate(() -> write(false), probeMs, probeMs, TimeUnit.MILLISECONDS);
    }

    /** Starts one put; a closed-loop one starts the next when it completes. */
    private void write(boolean closedLoop) {
        if (!running) {
            return;
        }
        long i = next.getAndIncrement();
        long begin = System.nanoTime();
        CompletableFuture<?> f;
        try {
            f = target.put(i, keys[(int) (i % keys.length)], value);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((r, err) -> {
            if (err == null) {
                acked.incrementAndGet();
                if (begin >= watchFrom) {
                    firstAckAfter.accumulateAndGet(System.nanoTime(), Math::min);
                }
            } else {
                failed.incrementAndGet();
            }
            if (closedLoop && err == null) {
                write(true);
            } else if (closedLoop && running) {
                probes.schedule(() -> write(true), retryMs, TimeUnit.MILLISECONDS);
            }
        }, completions);
    }

    /** From now on, note the first acknowledgement of a write started at or after {@code nanoTime}. */
    void watchFrom(long nanoTime) {
        watchFrom = Long.MAX_VALUE; // no write of the previous watch may land in the reset value
        firstAckAfter.set(Long.MAX_VALUE);
        watchFrom = nanoTime;
    }

    /** When the first write started at or after the watched instant was acknowledged; Long.MAX_VALUE if none yet. */
    long firstAckAfterWatch() {
        return firstAckAfter.get();
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        probes.shutdownNow();
        completions.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
