package io.raftx.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.lincheck.History;
import io.raftx.lincheck.HistoryIO;
import io.raftx.lincheck.HistoryRecorder;
import io.raftx.lincheck.HistoryRecorder.PendingOp;
import io.raftx.lincheck.LinearizabilityChecker;
import io.raftx.lincheck.Operation;
import io.raftx.lincheck.Result;
import io.raftx.node.RaftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5b: linearizability over real gRPC. Five KV nodes in this JVM (MVStore storage, gRPC transport on
 * loopback), eight clients doing random get / put / cas / delete on five keys through random nodes, while the
 * leader is stopped and restarted and a node is cut off in the transport. Every history is checked with
 * {@link LinearizabilityChecker}; a failing one is written to {@code target/lincheck/<test>-<seed>.jsonl}.
 *
 * <p>{@code -Draftx.it.lin.runs=N} for more runs (default 3), {@code -Draftx.it.lin.seed=S} for the seed of the
 * first run (run i uses S + i; thread timing still varies between replays).
 */
class GrpcLinearizabilityTest {

    private static final int NODES = 5;
    private static final int CLIENTS = 8;
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
    private static final Duration TICK = Duration.ofMillis(25);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_TIMEOUT = REQUEST_TIMEOUT.plusSeconds(3);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** Answers wanted after each fault before the next, so that every fault is followed by recovery. */
    private static final int ANSWERS_AFTER_FAULT = 50;
    /** Client ids of the final reads, one per node, above those of the concurrent clients. */
    private static final int FINAL_READER_IDS = 100;

    @TempDir
    Path dataRoot;

    private record RunStats(int operations, long unknown, long failed, long blockedDrops, String faults) { }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void historiesWithLeaderKillsAndPartitionsAreLinearizable() throws Exception {
        int runs = Integer.getInteger("raftx.it.lin.runs", 3);
        long firstSeed = Long.getLong("raftx.it.lin.seed", System.nanoTime());
        long operations = 0;
        long unknown = 0;
        long started = System.nanoTime();
        for (int run = 0; run < runs; run++) {
            long seed = firstSeed + run;
            RunStats stats = runOnce(seed);
            operations += stats.operations();
            unknown += stats.unknown();
            System.out.printf("lincheck run %d/%d (seed %d): %d operations (%d unknown; %d definitely not applied, "
                            + "left out), %d messages blocked; faults: %s -> linearizable%n", run + 1, runs, seed,
                    stats.operations(), stats.unknown(), stats.failed(), stats.blockedDrops(), stats.faults());
        }
        System.out.printf("lincheck over gRPC: %d histories, %d operations (%d unknown) checked, all linearizable, "
                + "%.1f s%n", runs, operations, unknown, (System.nanoTime() - started) / 1e9);
    }

    private RunStats runOnce(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        HistoryRecorder recorder = new HistoryRecorder();
        List<String> faults = new ArrayList<>();
        List<RecordingClient> clients = new ArrayList<>();
        long blockedDrops;
        try (InJvmKvCluster cluster = new InJvmKvCluster(NODES, Files.createDirectory(dataRoot.resolve("run-" + seed)),
                TICK, REQUEST_TIMEOUT)) {
            cluster.startAll();
            cluster.awaitLeader(SETTLE);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong answered = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                RecordingClient client = new RecordingClient(c, cluster, recorder, KEYS, random.nextLong(), stop,
                        answered, ANSWER_TIMEOUT);
                clients.add(client);
                Thread t = new Thread(client, "lin-client-" + c);
                t.start();
                threads.add(t);
            }
            try {
                awaitAnswers(answered, cluster);
                for (FaultSchedule.Fault fault : FaultSchedule.draw(random)) {
                    faults.add(FaultSchedule.inject(fault, cluster, random));
                    awaitAnswers(answered, cluster);
                }
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(ANSWER_TIMEOUT.multipliedBy(2).toMillis());
                }
            }
            assertThat(threads).as("clients finished").noneMatch(Thread::isAlive);
            readEveryKeyFromEveryNode(cluster, recorder);
            blockedDrops = cluster.blockedDrops();
        }
        assertThat(blockedDrops).as("messages dropped by the partition").isPositive();
        History history = recorder.history();
        Result result = new LinearizabilityChecker().check(history);
        if (!result.isLinearizable()) {
            Path dir = Files.createDirectories(Path.of("target", "lincheck"));
            Path file = dir.resolve(getClass().getSimpleName() + "-" + seed + ".jsonl");
            HistoryIO.write(history, file);
            if (!result.failingPrefix().isEmpty()) {
                HistoryIO.write(new History(result.failingPrefix()),
                        dir.resolve(getClass().getSimpleName() + "-" + seed + "-prefix.jsonl"));
            }
            throw new AssertionError("history of seed " + seed + " (" + history.size() + " operations, faults "
                    + faults + ") is " + result + "\nwritten to " + file.toAbsolutePath());
        }
        long unknown = history.operations().stream().filter(op -> op.returnTime() == Operation.UNKNOWN).count();
        long failed = clients.stream().mapToLong(RecordingClient::failed).sum();
        return new RunStats(history.size(), unknown, failed, blockedDrops, String.join("; ", faults));
    }

    private static void awaitAnswers(AtomicLong answered, InJvmKvCluster cluster) throws InterruptedException {
        long target = answered.get() + ANSWERS_AFTER_FAULT;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (answered.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("clients got fewer than " + ANSWERS_AFTER_FAULT + " answers in " + SETTLE
                        + ": " + cluster.statuses());
            }
            Thread.sleep(10);
        }
    }

    /**
     * After the faults, every node (the restarted and the healed one too) reads every key; these reads are part of
     * the history, so a node serving a stale value after rejoining is caught. A refused read is retried.
     */
    private static void readEveryKeyFromEveryNode(InJvmKvCluster cluster, HistoryRecorder recorder)
            throws InterruptedException {
        List<String> ids = cluster.ids();
        for (int i = 0; i < ids.size(); i++) {
            KvClient kv = cluster.kv(ids.get(i)).orElseThrow(() -> new AssertionError("a node is still stopped"));
            for (String key : KEYS) {
                readUntilAnswered(kv, recorder, FINAL_READER_IDS + i, key, ids.get(i));
            }
        }
    }

    private static void readUntilAnswered(KvClient kv, HistoryRecorder recorder, int clientId, String key,
                                          String node) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            PendingOp op = recorder.invokeGet(clientId, key);
            try {
                Optional<KeyValue> found = kv.get(key).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                op.okRead(found.map(KeyValue::valueAsString).orElse(null));
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RaftException re && re.definitelyNotApplied()) {
                    op.fail();
                } else {
                    op.unknown();
                }
            } catch (TimeoutException e) {
                op.unknown();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + " could not serve a linearizable read of " + key + " within "
                        + SETTLE);
            }
        }
    }
}
