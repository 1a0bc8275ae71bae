package io.raftx.it;

import io.raftx.kv.InvalidRequestException;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.lincheck.HistoryRecorder;
import io.raftx.lincheck.HistoryRecorder.PendingOp;
import io.raftx.node.RaftException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One sequential client: random get / put / cas / delete on a small key set through {@link KvClient} on a random
 * running node, each operation recorded in a {@link HistoryRecorder} before it is sent and after its answer.
 *
 * <p>Outcomes: an answer is recorded as such; a {@link RaftException} that is definitely not applied as
 * {@code fail()} (the operation is left out of the history, so if RaftX wrongly claims that, the checker can see a
 * value that came from nowhere); anything else, including no answer in time, as {@code unknown()}.
 */
final class RecordingClient implements Runnable {

    private final int clientId;
    private final InJvmKvCluster cluster;
    private final HistoryRecorder recorder;
    private final List<String> keys;
    private final SplittableRandom random;
    private final AtomicBoolean stop;
    /** Answers received by all clients together, for the test to see that the cluster makes progress. */
    private final AtomicLong answeredByAll;
    /** Longer than the nodes' request timeout: a node always answers first unless something is stuck. */
    private final Duration answerTimeout;
    /** The last value this client saw per key (null: absent or never seen), to give cas a fair chance to swap. */
    private final Map<String, String> lastSeen = new HashMap<>();
    private long written;
    private long ok;
    private long failed;
    private long unknown;

    RecordingClient(int clientId, InJvmKvCluster cluster, HistoryRecorder recorder, List<String> keys, long seed,
                    AtomicBoolean stop, AtomicLong answeredByAll, Duration answerTimeout) {
        this.clientId = clientId;
        this.cluster = cluster;
        this.recorder = recorder;
        this.keys = keys;
        this.random = new SplittableRandom(seed);
        this.stop = stop;
        this.answeredByAll = answeredByAll;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public void run() {
        while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            List<String> nodes = cluster.runningIds();
            Optional<KvClient> kv = cluster.kv(nodes.get(random.nextInt(nodes.size())));
            if (kv.isEmpty()) {
                continue; // stopped since the list was taken
            }
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            if (dice < 40) {
                get(kv.get(), key);
            } else if (dice < 65) {
                put(kv.get(), key);
            } else if (dice < 85) {
                cas(kv.get(), key);
            } else {
                delete(kv.get(), key);
            }
        }
    }

    private void get(KvClient kv, String key) {
        PendingOp op = recorder.invokeGet(clientId, key);
        await(op, kv.get(key), found -> {
            String value = found.map(KeyValue::valueAsString).orElse(null);
            lastSeen.put(key, value);
            op.okRead(value);
        });
    }

    private void put(KvClient kv, String key) {
        String value = nextValue();
        PendingOp op = recorder.invokePut(clientId, key, value);
        await(op, kv.put(key, value), r -> {
            lastSeen.put(key, value);
            op.ok();
        });
    }

    private void cas(KvClient kv, String key) {
        String expected = lastSeen.get(key);
        String value = nextValue();
        PendingOp op = recorder.invokeCas(clientId, key, expected, value);
        await(op, kv.compareAndSet(key, expected, value), r -> {
            lastSeen.put(key, r.succeeded() ? value : r.previous().map(KeyValue::valueAsString).orElse(null));
            op.okCas(r.succeeded());
        });
    }

    private void delete(KvClient kv, String key) {
        PendingOp op = recorder.invokeDelete(clientId, key);
        await(op, kv.delete(key), r -> {
            lastSeen.put(key, null);
            op.ok();
        });
    }

    /** Unique across the run, so that a read names the one write it saw. */
    private String nextValue() {
        return "c" + clientId + "-" + written++;
    }

    private <T> void await(PendingOp op, CompletableFuture<T> answer, Consumer<T> onAnswer) {
        T result;
        try {
            result = answer.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidRequestException) {
                throw new IllegalStateException("the client built an invalid request", cause);
            }
            if (cause instanceof RaftException re && re.definitelyNotApplied()) {
                op.fail();
                failed++;
            } else {
                op.unknown();
                unknown++;
            }
            return;
        } catch (TimeoutException e) {
            op.unknown();
            unknown++;
            return;
        } catch (InterruptedException e) {
            op.unknown();
            unknown++;
            Thread.currentThread().interrupt();
            return;
        }
        onAnswer.accept(result);
        ok++;
        answeredByAll.incrementAndGet();
    }

    /** Counts by outcome; read after the thread has ended. */
    String counts() {
        return "client " + clientId + ": ok " + ok + ", failed " + failed + ", unknown " + unknown;
    }

    long ok() {
        return ok;
    }

    long failed() {
        return failed;
    }

    long unknown() {
        return unknown;
    }
}
