package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.PutResult;
import io.raftx.transport.SnapshotSent;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.storage.MvStoreRaftStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster (gRPC on loopback, MVStore logs, snapshot files) installs a large KV snapshot on a node that was
 * down while the data was written, with the stream cut once half-way: the transfer resumes from the bytes the node
 * kept, and the node ends up with the leader's exact state.
 *
 * <p>The default size keeps the build fast; the 100 MB run is
 * {@code mvn -pl raftx-core test -Dtest=LargeSnapshotInstallTest -Draftx.snapshot.largeMb=100}. The test prints the
 * transfer's throughput; timings are reported, never asserted.
 */
class LargeSnapshotInstallTest {

    private static final int VALUE_BYTES = 16 * 1024;
    private static final int CHUNK_BYTES = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void largeSnapshotReachesALaggingNodeAndResumesAfterTheStreamIsCut() throws Exception {
        long stateBytes = Long.getLong("raftx.snapshot.largeMb", 16) << 20;
        FaultInjectingTransport.Observed observed = new FaultInjectingTransport.Observed();
        try (GrpcTestCluster c = new GrpcTestCluster(3, id -> MvStoreRaftStorage.open(dir.resolve(id).resolve("raft.mv")),
                KvStateMachine::new)) {
            c.withSnapshots(id -> FileSnapshotStore.open(dir.resolve(id).resolve("snapshots")))
                    // Snapshots only on request here; keep 10 entries behind them, so n3 cannot catch up from the log.
                    .withConfig(cfg -> cfg.withTick(Duration.ofMillis(50)).withRequestTimeout(Duration.ofSeconds(30))
                            .withSnapshots(new SnapshotSettings(Long.MAX_VALUE / 2, 10, CHUNK_BYTES)))
                    .withTransport((id, t) -> new FaultInjectingTransport(t, observed));
            c.start("n1");
            c.start("n2");
            String leader = c.awaitLeader();
            writeState(c, leader, stateBytes);
            // Both running nodes snapshot, so whichever leads when n3 comes back has to send a snapshot.
            long snapshotIndex = Long.MAX_VALUE;
            for (String id : List.of("n1", "n2")) {
                snapshotIndex = Math.min(snapshotIndex, c.nodes.get(id).snapshot().get(2, TimeUnit.MINUTES).index());
            }
            long fileBytes = snapshotFileSize(dir.resolve("n1").resolve("snapshots"));
            assertThat(fileBytes).isGreaterThan(stateBytes);

            int chunks = (int) ((fileBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
            observed.cutAfterChunks.set(chunks / 2);
            long started = System.nanoTime();
            c.start("n3");
            long installed = snapshotIndex;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.nodes.get("n3").status().appliedIndex() >= installed);
            double seconds = (System.nanoTime() - started) / 1e9;
            // The leader's snapshot (n1's and n2's differ by the entries each had applied).
            assertThat(observed.fileSizes).as("one snapshot file was sent").hasSize(2).containsOnly(
                    observed.fileSizes.get(0));
            fileBytes = observed.fileSizes.get(0);

            assertThat(observed.cut).as("the stream was cut once").isTrue();
            assertThat(observed.offeredFrom).as("offers answered by n3").hasSize(2);
            long kept = observed.offeredFrom.get(1);
            assertThat(observed.offeredFrom.get(0)).isZero();
            assertThat(kept).as("resumed after what n3 kept").isEqualTo((long) (chunks / 2) * CHUNK_BYTES);
            assertThat(observed.bytesStaged.get()).as("no byte staged twice").isEqualTo(fileBytes);
            SnapshotSent resumed = observed.sent.stream().filter(s -> s.bytesSent() > 0).findFirst().orElseThrow();
            assertThat(resumed.resumedFrom()).isEqualTo(kept);
            assertThat(resumed.bytesSent()).isEqualTo(fileBytes - kept);
            long sentInFailedAttempts = observed.failedAttemptBytes.stream().mapToLong(Long::longValue).sum();
            long resent = sentInFailedAttempts + resumed.bytesSent() - fileBytes;
            // What the cut lost in flight, at most the chunks gRPC had buffered; never the kept prefix.
            assertThat(resent).isBetween(0L, 8L * CHUNK_BYTES);

            await().atMost(Duration.ofMinutes(1)).until(() -> digest(c, "n3").equals(digest(c, leaderOf(c))));
            System.out.printf("snapshot install: %.1f MB file, stream cut after %d chunks and resumed at byte %d; "
                            + "resumed transfer %.1f MB in %.2f s = %.1f MB/s; bytes resent %d; n3 applied the "
                            + "snapshot %.2f s after it started%n", fileBytes / 1e6, chunks / 2, kept,
                    resumed.bytesSent() / 1e6, resumed.nanos() / 1e9, resumed.megabytesPerSecond(), resent, seconds);
        }
    }

    /** Puts {@code bytes} of values (16 KiB each) through the leader, 64 in flight. */
    private static void writeState(GrpcTestCluster c, String leader, long bytes) throws Exception {
        KvClient kv = new KvClient(c.nodes.get(leader), (KvStateMachine) c.machines.get(leader));
        Random random = new Random(7);
        List<CompletableFuture<PutResult>> inFlight = new ArrayList<>();
        long keys = bytes / VALUE_BYTES + 1;
        for (long i = 0; i < keys; i++) {
            byte[] value = new byte[VALUE_BYTES];
            random.nextBytes(value);
            inFlight.add(kv.put(String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8), value));
            if (inFlight.size() == 64) {
                for (CompletableFuture<PutResult> f : inFlight) {
                    f.get(1, TimeUnit.MINUTES);
                }
                inFlight.clear();
            }
        }
        for (CompletableFuture<PutResult> f : inFlight) {
            f.get(1, TimeUnit.MINUTES);
        }
    }

    private static String leaderOf(GrpcTestCluster c) {
        return c.awaitLeader();
    }

    /** SHA-256 of the node's KV snapshot bytes (deterministic for a given state), computed on its loop thread. */
    private static String digest(GrpcTestCluster c, String id) throws Exception {
        KvStateMachine sm = (KvStateMachine) c.machines.get(id);
        return c.nodes.get(id).read(ReadConsistency.LOCAL, () -> {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                    sm.snapshot(out);
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }).get(1, TimeUnit.MINUTES);
    }

    private static long snapshotFileSize(Path snapshots) throws IOException {
        try (Stream<Path> files = Files.list(snapshots)) {
            Path file = files.filter(p -> p.getFileName().toString().endsWith(".snap")).findFirst().orElseThrow();
            return Files.size(file);
        }
    }
}
