package io.raftx.lincheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

    private final AtomicLong logicalClock = new AtomicLong();
    private final HistoryRecorder recorder = new HistoryRecorder(logicalClock::incrementAndGet);

    @Test
    void recordsEachOutcomeAsTheCheckerNeedsIt() {
        recorder.invokePut(0, "x", "1").ok();
        recorder.invokeGet(1, "x").okRead("1");
        recorder.invokeCas(1, "x", "1", "2").okCas(false);
        recorder.invokeAppend(0, "x", "a").unknown();
        recorder.invokeDelete(1, "x").fail();
        recorder.invokeGet(2, "y").okRead(null);
        HistoryRecorder.PendingOp stillRunning = recorder.invokePut(3, "y", "v");

        assertThat(recorder.history().operations()).containsExactly(
                Operation.put(0, "x", "1", 1, 2),
                Operation.get(1, "x", "1", 3, 4),
                Operation.cas(1, "x", "1", "2", false, 5, 6),
                Operation.append(0, "x", "a", 7, Operation.UNKNOWN),
                // the failed delete never took effect and is left out
                Operation.get(2, "y", null, 11, 12),
                Operation.put(3, "y", "v", 13, Operation.UNKNOWN));

        stillRunning.ok();
        assertThat(recorder.history().operations()).last().isEqualTo(Operation.put(3, "y", "v", 13, 14));
    }

    @Test
    void timesStrictlyIncreaseEvenIfTheClockStalls() {
        HistoryRecorder stalled = new HistoryRecorder(() -> 42);
        stalled.invokePut(0, "x", "1").ok();
        stalled.invokePut(1, "x", "2").ok();
        assertThat(stalled.history().operations()).extracting(Operation::call, Operation::returnTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(42L, 43L),
                        org.assertj.core.groups.Tuple.tuple(44L, 45L));
    }

    @Test
    void enforcesOneOperationAtATimePerClientAndOneOutcomePerOperation() {
        HistoryRecorder.PendingOp get = recorder.invokeGet(0, "x");
        assertThatThrownBy(() -> recorder.invokePut(0, "x", "1")).hasMessageContaining("already has an operation");
        assertThatThrownBy(get::ok).hasMessageContaining("okRead");
        assertThatThrownBy(() -> get.okCas(true)).hasMessageContaining("not a cas");
        get.okRead(null);
        assertThatThrownBy(get::unknown).hasMessageContaining("already completed");
        recorder.invokePut(0, "x", "1").ok(); // the client is free again
    }

    /** Concurrent clients on a store that is linearizable by construction (atomic map updates). */
    @Test
    void recordsConcurrentClientsOfAnAtomicStoreAsALinearizableHistory() throws Exception {
        HistoryRecorder real = new HistoryRecorder();
        Map<String, String> store = new ConcurrentHashMap<>();
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> runClient(real, store, client, new Random(client))));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        History history = real.history();
        assertThat(history.size()).isEqualTo(clients * 300);
        assertThat(history.operations()).allMatch(op -> op.returnTime() > op.call());
        Result result = new LinearizabilityChecker().check(history);
        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.LINEARIZABLE);
    }

    private static void runClient(HistoryRecorder recorder, Map<String, String> store, int client, Random random) {
        for (int i = 0; i < 300; i++) {
            String key = "k" + random.nextInt(3);
            String value = Integer.toString(random.nextInt(3));
            switch (random.nextInt(5)) {
                case 0 -> {
                    HistoryRecorder.PendingOp op = recorder.invokePut(client, key, value);
                    store.put(key, value);
                    op.ok();
                }
                case 1 -> {
                    HistoryRecorder.PendingOp op = recorder.invokeGet(client, key);
                    op.okRead(store.get(key));
                }
                case 2 -> {
                    String expected = random.nextBoolean() ? null : Integer.toString(random.nextInt(3));
                    HistoryRecorder.PendingOp op = recorder.invokeCas(client, key, expected, value);
                    boolean[] swapped = {false};
                    store.compute(key, (k, current) -> {
                        swapped[0] = Objects.equals(current, expected);
                        return swapped[0] ? value : current;
                    });
                    op.okCas(swapped[0]);
                }
                case 3 -> {
                    HistoryRecorder.PendingOp op = recorder.invokeAppend(client, key, "+" + client);
                    store.merge(key, "+" + client, String::concat);
                    // Now and then pretend the answer was lost: it did take effect, the client cannot know.
                    if (random.nextInt(10) == 0) {
                        op.unknown();
                    } else {
                        op.ok();
                    }
                }
                default -> {
                    HistoryRecorder.PendingOp op = recorder.invokeDelete(client, key);
                    store.remove(key);
                    op.ok();
                }
            }
        }
    }
}
