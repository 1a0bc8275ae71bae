package io.raftx.it;

import io.grpc.StatusRuntimeException;
import io.raftx.lincheck.HistoryRecorder;
import io.raftx.lincheck.HistoryRecorder.PendingOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sequential client of the linearizability check: random get, put, delete and compare-and-set on a few keys
 * (the current ones of {@code keys}: the suite moves to fresh keys after every fault, which keeps each key's history
 * short enough for the checker's search),
 * each through a random current member, every operation recorded in the {@link HistoryRecorder} (values are unique:
 * {@code c<client>-<seq>}). An operation RaftX definitely refused is recorded as failed, any other error as unknown.
 */
final class RegisterClient implements Runnable {

    private static final long BACKOFF_MILLIS = 20;

    private final int clientId;
    private final RegisterApi api;
    private final Supplier<List<String>> keys;
    private final ProcessCluster cluster;
    private final HistoryRecorder recorder;
    private final SplittableRandom random;
    private final AtomicBoolean stop;
    private final AtomicLong answered;
    private final Map<String, String> lastRead = new HashMap<>();

    RegisterClient(int clientId, RegisterApi api, Supplier<List<String>> keys, ProcessCluster cluster, HistoryRecorder recorder,
                   long seed, AtomicBoolean stop, AtomicLong answered) {
        this.clientId = clientId;
        this.api = api;
        this.keys = keys;
        this.cluster = cluster;
        this.recorder = recorder;
        this.random = new SplittableRandom(seed);
        this.stop = stop;
        this.answered = answered;
    }

    @Override
    public void run() {
        for (long seq = 0; !stop.get(); seq++) {
            List<String> nodes = cluster.ids();
            String node = nodes.get(random.nextInt(nodes.size()));
            List<String> current = keys.get();
            String key = current.get(random.nextInt(current.size()));
            String value = "c" + clientId + "-" + seq;
            if (!perform(node, key, value)) {
                try {
                    Thread.sleep(BACKOFF_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Returns whether the operation was answered. */
    private boolean perform(String node, String key, String value) {
        int dice = random.nextInt(100);
        PendingOp op;
        try {
            if (dice < 40) {
                op = recorder.invokeGet(clientId, key);
                Optional<String> read = callGet(op, node, key);
                lastRead.put(key, read.orElse(null));
                op.okRead(read.orElse(null));
            } else if (dice < 70) {
                op = recorder.invokePut(clientId, key, value);
                callAndFinish(op, () -> api.put(node, key, value));
                op.ok();
            } else if (dice < 85) {
                op = recorder.invokeDelete(clientId, key);
                callAndFinish(op, () -> api.delete(node, key));
                op.ok();
            } else {
                String expected = api.comparesValues() && random.nextBoolean() ? lastRead.get(key) : null;
                op = recorder.invokeCas(clientId, key, expected, value);
                boolean[] swapped = new boolean[1];
                callAndFinish(op, () -> swapped[0] = api.compareAndSet(node, key, expected, value));
                op.okCas(swapped[0]);
            }
        } catch (Unanswered e) {
            return false;
        }
        answered.incrementAndGet();
        return true;
    }

    private Optional<String> callGet(PendingOp op, String node, String key) {
        Optional<String>[] read = new Optional[1];
        callAndFinish(op, () -> read[0] = api.get(node, key));
        return read[0];
    }

    /** Runs the call; on an error completes {@code op} as failed or unknown and throws {@link Unanswered}. */
    private static void callAndFinish(PendingOp op, Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            if (WriteLedger.isRaftxRefusal(e.getStatus())) {
                op.fail();
            } else {
                op.unknown();
            }
            throw new Unanswered();
        }
    }

    private static final class Unanswered extends RuntimeException {
        Unanswered() {
            super(null, null, false, false);
        }
    }
}
