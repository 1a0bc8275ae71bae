package io.raftx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, multi-process: three node JVMs on loopback, concurrent etcd-API writers, and the leader SIGKILLed under
 * load and restarted on its data directory, again and again. Afterwards every acknowledged write is on every node,
 * no write was applied twice (each key is written once, so its version must be 1), and no write RaftX refused is
 * there.
 *
 * <p>{@code -Draftx.it.kills=N} for more kills (default 20); {@code -Draftx.it.seed=S} replays the kill timing.
 * Node logs go to {@code target/it-logs/ProcessCrashTest-<seed>/}; on failure they are kept and their tails are in
 * the failure message.
 */
class ProcessCrashTest {

    private static final int NODES = 3;
    private static final int WRITERS = 4;
    /** Writes acknowledged between two kills, so that every kill hits a cluster under load. */
    private static final int ACKS_PER_ROUND = 25;
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dataRoot;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveRepeatedLeaderSigkills() throws Exception {
        int kills = Integer.getInteger("raftx.it.kills", 20);
        long seed = Long.getLong("raftx.it.seed", System.nanoTime());
        Path logDir = Path.of("target", "it-logs", "ProcessCrashTest-" + seed);
        System.out.println("process crash test: " + kills + " kills, seed " + seed + ", logs in " + logDir);
        // Snapshots every 2,000 entries, so that kills also land while one is being written (off the loop).
        try (ProcessCluster cluster = new ProcessCluster(NODES, "n", dataRoot, logDir, 50,
                List.of("--snapshot-count=2000"))) {
            try {
                run(cluster, kills, new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n(seed " + seed + ", -Draftx.it.seed to replay the kill "
                        + "timing)\n" + cluster.logs(), e);
            }
        }
        deleteRecursively(logDir); // kept only when the test fails
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void run(ProcessCluster cluster, int kills, Random random) throws Exception {
        long started = System.nanoTime();
        cluster.startAll(READY);
        cluster.awaitLeader(SETTLE);
        WriteLedger ledger = new WriteLedger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread t = new Thread(new LedgerWriter("w", w, cluster, durablePut(cluster), ledger, stop),
                    "etcd-writer-" + w);
            t.start();
            writers.add(t);
        }
        try {
            for (int kill = 1; kill <= kills; kill++) {
                awaitMoreAcknowledged(ledger, cluster);
                String leader = cluster.awaitLeader(SETTLE);
                // Land the kill at a random point of the pipeline (mid-fsync, mid-append, between batches).
                Thread.sleep(random.nextInt(200));
                cluster.kill(leader);
                String successor = cluster.awaitLeader(SETTLE);
                cluster.restart(leader, READY);
                // Back to three before the next kill: killing a leader then always leaves a majority up.
                cluster.awaitCaughtUp(leader, SETTLE);
                System.out.printf("kill %d: SIGKILLed leader %s, %s took over; %d writes acknowledged so far%n",
                        kill, leader, successor, ledger.acknowledgedCount());
            }
            awaitMoreAcknowledged(ledger, cluster);
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(writers).as("writers finished").noneMatch(Thread::isAlive);
        cluster.awaitAllCaughtUp(SETTLE);
        verify(cluster, ledger);
        System.out.printf("process crash test: %d kills, %s, %.1f s%n", kills, ledger.summary(),
                (System.nanoTime() - started) / 1e9);
    }

    private static void awaitMoreAcknowledged(WriteLedger ledger, ProcessCluster cluster) throws InterruptedException {
        long target = ledger.acknowledgedCount() + ACKS_PER_ROUND;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (ledger.acknowledgedCount() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cluster acknowledged fewer than " + ACKS_PER_ROUND + " writes in "
                        + SETTLE + "; " + ledger.summary() + "; statuses: " + cluster.statuses());
            }
            Thread.sleep(10);
        }
    }

    private static void verify(ProcessCluster cluster, WriteLedger ledger) {
        Map<String, List<KeyValue>> keysByNode = new LinkedHashMap<>();
        for (String id : cluster.ids()) {
            keysByNode.put(id, readAllLocally(cluster, id));
        }
        LedgerCheck.verify("durable", keysByNode, ledger, true);
    }

    /** Puts through the etcd KV API, 6 s deadline. */
    static LedgerWriter.KeyPut durablePut(ProcessCluster cluster) {
        return (node, key) -> {
            ByteString bytes = ByteString.copyFromUtf8(key);
            cluster.kv(node).withDeadlineAfter(6, TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(bytes).setValue(bytes).build());
        };
    }

    /** A serializable (local) range over every writer key: what this node itself has applied. */
    static List<KeyValue> readAllLocally(ProcessCluster cluster, String id) {
        RangeResponse r = cluster.kv(id).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withMaxInboundMessageSize(256 << 20)
                .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("w"))
                        .setRangeEnd(ByteString.copyFromUtf8("x")).setSerializable(true).build());
        assertThat(r.getMore()).as("range on %s truncated", id).isFalse();
        return r.getKvsList();
    }
}
