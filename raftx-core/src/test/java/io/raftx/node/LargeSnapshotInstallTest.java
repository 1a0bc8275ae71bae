package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.PutResult;
import io.raftx.raft.Membership;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSettings;
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
 * down while the data was written, and on a node that joins afterwards, with the stream cut once half-way: the
 * transfer resumes from the bytes the node kept, and the node ends up with the leader's exact state.
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

    /** n3, a voter from the start, was down while the state was written. */
    @Test
    void largeSnapshotReachesALaggingNodeAndResumesAfterTheStreamIsCut() throws Exception {
        installOnto("n3", false);
    }

    /** n4 joins the running cluster (learner, then voter): it can only catch up from the snapshot. */
    @Test
    void largeSnapshotReachesANewMemberAndResumesAfterTheStreamIsCut() throws Exception {
        installOnto("n4", true);
    }

    private void installOnto(String target, boolean joins) throws Exception {
        long stateBytes = Long.getLong("raftx.snapshot.largeMb", 16) << 20;
        FaultInjectingTransport.Observed observed = new FaultInjectingTransport.Observed();
        List<String> running = joins ? List.of("n1", "n2", "n3") : List.of("n1", "n2");
        try (GrpcTestCluster c = new GrpcTestCluster(joins ? 4 : 3,
                id -> MvStoreRaftStorage.open(dir.resolve(id).resolve("raft.mv")), KvStateMachine::new)) {
            c.withSnapshots(id -> FileSnapshotStore.open(dir.resolve(id).resolve("snapshots")))
                    // Snapshots only on request here; keep 10 entries behind them, so the target cannot catch up
                    // from the log.
                    .withConfig(cfg -> cfg.withTick(Duration.ofMillis(50)).withRequestTimeout(Duration.ofSeconds(30))
                            .withSnapshots(new SnapshotSettings(Long.MAX_VALUE / 2, 10, CHUNK_BYTES)))
                    .withTransport((id, t) -> new FaultInjectingTransport(t, observed));
            if (joins) {
                c.withInitialVoters(running);
            }
            running.forEach(c::start);
            String leader = c.awaitLeader();
            writeState(c, leader, stateBytes);
            // a follower applies the last writes a moment after the leader answered them: wait, so that every
            // snapshot below holds the whole state
            long written = c.nodes.get(leader).status().commitIndex();
            await().atMost(Duration.ofMinutes(1)).until(() -> running.stream()
                    .allMatch(id -> c.nodes.get(id).status().appliedIndex() >= written));
            // Every running node snapshots, so whichever leads when the target shows up has to send a snapshot.
            long snapshotIndex = Long.MAX_VALUE;
            for (String id : running) {
                snapshotIndex = Math.min(snapshotIndex, c.nodes.get(id).snapshot().get(2, TimeUnit.MINUTES).index());
            }
            long fileBytes = snapshotFileSize(dir.resolve("n1").resolve("snapshots"));
            assertThat(fileBytes).isGreaterThan(stateBytes);

            int chunks = (int) ((fileBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
            observed.cutAfterChunks.set(chunks / 2);
            long started = System.nanoTime();
            if (joins) {
                c.startJoining(target, running);
                Membership m = c.nodes.get(c.awaitLeader()).addMember(target, c.addresses.get(target))
                        .get(2, TimeUnit.MINUTES);
                assertThat(m.voters()).contains(target);
            } else {
                c.start(target);
            }
            long installed = snapshotIndex;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.nodes.get(target).status().appliedIndex() >= installed);
            double seconds = (System.nanoTime() - started) / 1e9;

            // The leader's file (the running nodes' snapshots differ by the entries each had applied).
            assertThat(observed.fileSizes).as("one snapshot file was sent, twice").hasSize(2)
                    .containsOnly(observed.fileSizes.get(0));
            fileBytes = observed.fileSizes.get(0);
            assertThat(observed.cut).as("the stream was cut once").isTrue();
            assertThat(observed.offeredFrom).as("offers answered by " + target).hasSize(2);
            long kept = observed.offeredFrom.get(1);
            assertThat(observed.offeredFrom.get(0)).isZero();
            assertThat(kept).as("resumed after what the target kept").isEqualTo((long) (chunks / 2) * CHUNK_BYTES);
            assertThat(observed.bytesStaged.get()).as("no byte staged twice").isEqualTo(fileBytes);
            SnapshotSent resumed = observed.sent.stream().filter(s -> s.bytesSent() > 0).findFirst().orElseThrow();
            assertThat(resumed.resumedFrom()).isEqualTo(kept);
            assertThat(resumed.bytesSent()).isEqualTo(fileBytes - kept);
            long sentInFailedAttempts = observed.failedAttemptBytes.stream().mapToLong(Long::longValue).sum();
            long resent = sentInFailedAttempts + resumed.bytesSent() - fileBytes;
            // What the cut lost in flight, at most the chunks gRPC had buffered; never the kept prefix.
            assertThat(resent).isBetween(0L, 8L * CHUNK_BYTES);

            await().atMost(Duration.ofMinutes(1)).until(() -> digest(c, target).equals(digest(c, c.awaitLeader())));
            System.out.printf("snapshot install onto %s (%s): %.1f MB file, stream cut after %d chunks and resumed "
                            + "at byte %d; resumed transfer %.1f MB in %.2f s = %.1f MB/s; bytes resent %d; the "
                            + "snapshot was applied %.2f s after the node started%n", target,
                    joins ? "new member" : "lagging voter", fileBytes / 1e6, chunks / 2, kept,
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
