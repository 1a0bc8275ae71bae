package io.raftx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.StatusRuntimeException;
import io.raftx.lincheck.History;
import io.raftx.lincheck.HistoryIO;
import io.raftx.lincheck.HistoryRecorder;
import io.raftx.lincheck.LinearizabilityChecker;
import io.raftx.lincheck.Operation;
import io.raftx.lincheck.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 7: the multi-process fault suite. Three standalone node JVMs ({@code FaultNodeMain}: NodeMain plus a
 * test-only volatile API) on loopback, peers talking through cuttable links ({@link PeerNetwork}), under load from
 * durable and volatile clients, while {@link FaultInjector} SIGKILLs, SIGSTOPs, partitions and changes the membership
 * (add, remove, replace, remove the leader; 3 to 5 voters), one fault at a time, until the time is up.
 *
 * <p>Checked: every durable and volatile register operation (get, put, delete, compare-and-set) is recorded and the
 * whole history must be linearizable; every acknowledged durable and volatile write of the ledger writers is on every
 * node at the end, nothing refused is there, durable writes were applied once; after every fault the cluster must
 * serve again within the settle time.
 *
 * <p>{@code -Draftx.it.faultMinutes=30} for a long run (default 1); {@code -Draftx.it.seed=S} replays the fault
 * sequence (not the thread timing). Logs and any failing history go to {@code target/it-logs/FaultSuiteTest-<seed>/}
 * (deleted when the run passes).
 */
class FaultSuiteTest {

    private static final int TICK_MILLIS = 50;
    private static final int REGISTER_CLIENTS = 4;
    private static final int VOLATILE_REGISTER_CLIENTS = 3;
    private static final int LEDGER_WRITERS = 2;
    private static final int KEYS_PER_ROUND = 3;
    /** Above RaftX's own request timeouts (5 s), so that RaftX rather than the client's deadline decides. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    /**
     * The register clients move to fresh keys this often: an operation of unknown outcome may take effect at any
     * later time, so the checker's search grows exponentially with their number per key; short key histories keep
     * it decidable.
     */
    private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Duration SETTLE = Duration.ofSeconds(45);
    /** Answers and acknowledged writes of each kind wanted after each fault before the next. */
    private static final int PROGRESS_AFTER_FAULT = 20;

    @TempDir
    Path dataRoot;

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveAndHistoriesStayLinearizableUnderFaultsAndMembershipChanges() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("raftx.it.faultMinutes", "1"));
        long seed = Long.getLong("raftx.it.seed", System.nanoTime());
        Path logDir = Path.of("target", "it-logs", "FaultSuiteTest-" + seed);
        System.out.printf("fault suite: %.1f minutes of faults, seed %s, %s; logs in %s%n", minutes, seed,
                PeerNetwork.describe(), logDir);
        try (PeerNetwork network = new PeerNetwork(logDir.resolve("hosts"));
             ProcessCluster cluster = new ProcessCluster(3, dataRoot, logDir, TICK_MILLIS, network)) {
            try {
                new Run(cluster, network, seed, logDir).execute(Duration.ofMillis((long) (minutes * 60_000)));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n(seed " + seed + ", -Draftx.it.seed to replay the fault"
                        + " sequence)\n" + cluster.logs(), e);
            }
        }
        ProcessCrashTest.deleteRecursively(logDir); // kept only when the run fails
    }

    /** One run: the clients, the fault loop and the final checks. */
    private static final class Run {
        private final ProcessCluster cluster;
        private final PeerNetwork network;
        private final long seed;
        private final Path logDir;
        private final HistoryRecorder recorder = new HistoryRecorder();
        private final WriteLedger durableLedger = new WriteLedger();
        private final WriteLedger volatileLedger = new WriteLedger();
        private final AtomicLong answered = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final VolatileRegisters volatiles;
        private final long roundsStart = System.nanoTime();
        /** The last round, once the clients stop; -1 before. */
        private volatile long finalRound = -1;
        private final List<String> clientErrors = new CopyOnWriteArrayList<>();

        Run(ProcessCluster cluster, PeerNetwork network, long seed, Path logDir) {
            this.cluster = cluster;
            this.network = network;
            this.seed = seed;
            this.logDir = logDir;
            this.volatiles = new VolatileRegisters(cluster, CALL_DEADLINE);
        }

        void execute(Duration faultTime) throws Exception {
            long started = System.nanoTime();
            cluster.startAll(SETTLE);
            cluster.awaitLeader(SETTLE);
            SplittableRandom random = new SplittableRandom(seed);
            List<Thread> threads = startClients(random);
            FaultInjector faults = new FaultInjector(cluster, network, this::awaitVolatileCopy, random.nextLong(),
                    SETTLE);
            int injected = 0;
            try {
                awaitProgress();
                long end = System.nanoTime() + faultTime.toNanos();
                while (System.nanoTime() < end) {
                    String fault = faults.injectNext();
                    injected++;
                    awaitProgress();
                    System.out.printf("fault %d: %s; %d answers, durable %d acked, volatile %d acked%n", injected,
                            fault, answered.get(), durableLedger.acknowledgedCount(),
                            volatileLedger.acknowledgedCount());
                }
            } finally {
                finalRound = round();
                stop.set(true);
                for (Thread t : threads) {
                    t.join(CALL_DEADLINE.multipliedBy(3).toMillis());
                }
            }
            assertThat(threads).as("clients finished").noneMatch(Thread::isAlive);
            assertThat(clientErrors).as("client threads that died").isEmpty();
            cluster.awaitAllCaughtUp(SETTLE);
            readEveryRegisterFromEveryNode();
            long checked = checkLinearizable();
            verifyDurable();
            verifyVolatile();
            System.out.printf("fault suite: %d faults %s, %d membership changes, %d members at the end %s; %d register "
                            + "operations checked linearizable (%d unknown outcome); durable ledger %s; volatile "
                            + "ledger %s; %d bytes dropped by partitions; 0 violations; %.1f s%n",
                    injected, faults.counts(), faults.membershipChanges(), cluster.ids().size(), cluster.ids(),
                    checked, unknownOperations(), durableLedger.summary(), volatileLedger.summary(),
                    network.droppedBytes(), (System.nanoTime() - started) / 1e9);
            assertThat(injected).as("faults injected").isPositive();
        }

        private List<Thread> startClients(SplittableRandom random) {
            List<Thread> threads = new ArrayList<>();
            EtcdRegisters durable = new EtcdRegisters(cluster, CALL_DEADLINE);
            int client = 0;
            Supplier<List<String>> durableKeys = () -> registerKeys("r");
            Supplier<List<String>> volatileKeys = () -> registerKeys("vr");
            for (int c = 0; c < REGISTER_CLIENTS; c++, client++) {
                threads.add(start("durable-client-" + c, new RegisterClient(client, durable, durableKeys, cluster,
                        recorder, random.nextLong(), stop, answered)));
            }
            for (int c = 0; c < VOLATILE_REGISTER_CLIENTS; c++, client++) {
                threads.add(start("volatile-client-" + c, new RegisterClient(client, volatiles, volatileKeys, cluster,
                        recorder, random.nextLong(), stop, answered)));
            }
            LedgerWriter.KeyPut durablePut = ProcessCrashTest.durablePut(cluster);
            LedgerWriter.KeyPut volatilePut = (node, key) -> volatiles.call(node, VolatileTestApi.PUT,
                    PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                            .setValue(ByteString.copyFromUtf8(key)).build());
            for (int w = 0; w < LEDGER_WRITERS; w++) {
                threads.add(start("durable-writer-" + w,
                        new LedgerWriter("w", w, cluster, durablePut, durableLedger, stop)));
                threads.add(start("volatile-writer-" + w,
                        new LedgerWriter("vw", w, cluster, volatilePut, volatileLedger, stop)));
            }
            return threads;
        }

        private long round() {
            return finalRound >= 0 ? finalRound : (System.nanoTime() - roundsStart) / ROUND_NANOS;
        }

        /** The register keys of the current round. */
        private List<String> registerKeys(String prefix) {
            long round = round();
            List<String> keys = new ArrayList<>(KEYS_PER_ROUND);
            for (int k = 0; k < KEYS_PER_ROUND; k++) {
                keys.add(prefix + round + "." + k);
            }
            return keys;
        }

        private Thread start(String name, Runnable r) {
            Thread t = new Thread(r, name);
            t.setUncaughtExceptionHandler((thread, e) -> clientErrors.add(thread.getName() + ": " + e));
            t.start();
            return t;
        }

        /** Liveness after each fault: answers to register clients and acknowledged ledger writes of both kinds. */
        private void awaitProgress() throws InterruptedException {
            long answers = answered.get() + PROGRESS_AFTER_FAULT;
            long durable = durableLedger.acknowledgedCount() + PROGRESS_AFTER_FAULT;
            long vol = volatileLedger.acknowledgedCount() + PROGRESS_AFTER_FAULT;
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (answered.get() < answers || durableLedger.acknowledgedCount() < durable
                    || volatileLedger.acknowledgedCount() < vol) {
                assertThat(clientErrors).as("client threads that died").isEmpty();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no progress within " + SETTLE + " after a fault: " + answered.get()
                            + " answers (wanted " + answers + "), durable " + durableLedger.summary()
                            + ", volatile " + volatileLedger.summary() + "; statuses: " + cluster.statuses());
                }
                Thread.sleep(20);
            }
        }

        /** Waits until {@code node} holds every volatile ledger write acknowledged before this call. */
        private void awaitVolatileCopy(String node) throws InterruptedException {
            Set<String> acknowledged = volatileLedger.keys(WriteLedger.Outcome.ACKNOWLEDGED);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Set<String> missing = acknowledged;
            while (!missing.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(node + " still misses " + missing.size() + " acknowledged volatile "
                            + "writes " + SETTLE + " after it came back, e.g. " + missing.stream().limit(10).toList());
                }
                Thread.sleep(50);
                missing = LedgerCheck.missing(acknowledged, localVolatileKeys(node).orElse(Set.of()));
            }
        }

        private Optional<Set<String>> localVolatileKeys(String node) {
            return localVolatile(node).map(kvs -> kvs.stream().map(kv -> kv.getKey().toStringUtf8())
                    .collect(Collectors.toSet()));
        }

        private Optional<List<KeyValue>> localVolatile(String node) {
            try {
                return Optional.of(volatiles.call(node, VolatileTestApi.LOCAL, RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("vw")).build()).getKvsList());
            } catch (StatusRuntimeException e) {
                return Optional.empty();
            }
        }

        /** Final reads through every node, part of the history: a node serving stale data after it rejoined shows. */
        private void readEveryRegisterFromEveryNode() throws InterruptedException {
            int reader = 1_000;
            EtcdRegisters durable = new EtcdRegisters(cluster, CALL_DEADLINE);
            for (String node : cluster.ids()) {
                for (String key : registerKeys("r")) {
                    readUntilAnswered(reader, durable, node, key);
                }
                for (String key : registerKeys("vr")) {
                    readUntilAnswered(reader, volatiles, node, key);
                }
                reader++;
            }
        }

        private void readUntilAnswered(int reader, RegisterApi api, String node, String key)
                throws InterruptedException {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (true) {
                HistoryRecorder.PendingOp op = recorder.invokeGet(reader, key);
                try {
                    op.okRead(api.get(node, key).orElse(null));
                    return;
                } catch (StatusRuntimeException e) {
                    op.unknown();
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(node + " could not serve a read of " + key + " within " + SETTLE
                                + ": " + e.getStatus());
                    }
                    Thread.sleep(100);
                }
            }
        }

        private long checkLinearizable() throws Exception {
            History history = recorder.history();
            Result result = new LinearizabilityChecker().check(history);
            if (!result.isLinearizable()) {
                System.out.println("fault suite: the history is NOT linearizable: " + result);
                Path file = Files.createDirectories(logDir).resolve("history.jsonl");
                HistoryIO.write(history, file);
                throw new AssertionError("the history (" + history.size() + " operations) is " + result
                        + "\nwritten to " + file.toAbsolutePath());
            }
            return history.size();
        }

        private long unknownOperations() {
            return recorder.history().operations().stream().filter(op -> op.returnTime() == Operation.UNKNOWN)
                    .count();
        }

        private void verifyDurable() {
            Map<String, List<KeyValue>> byNode = new LinkedHashMap<>();
            for (String id : cluster.ids()) {
                byNode.put(id, ProcessCrashTest.readAllLocally(cluster, id));
            }
            LedgerCheck.verify("durable", byNode, durableLedger, true);
        }

        /** Volatile replicas converge in the background: wait until all hold the same keys, then check. */
        private void verifyVolatile() throws InterruptedException {
            Set<String> acknowledged = volatileLedger.keys(WriteLedger.Outcome.ACKNOWLEDGED);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Map<String, List<KeyValue>> byNode;
            while (true) {
                byNode = new LinkedHashMap<>();
                Set<Set<String>> distinct = new HashSet<>();
                boolean complete = true;
                for (String id : cluster.ids()) {
                    List<KeyValue> kvs = localVolatile(id).orElse(List.of());
                    byNode.put(id, kvs);
                    Set<String> keys = kvs.stream().map(kv -> kv.getKey().toStringUtf8()).collect(Collectors.toSet());
                    distinct.add(keys);
                    complete &= keys.containsAll(acknowledged);
                }
                if ((complete && distinct.size() == 1) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(100);
            }
            LedgerCheck.verify("volatile", byNode, volatileLedger, false);
        }
    }
}
