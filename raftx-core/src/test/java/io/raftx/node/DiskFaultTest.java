package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.storage.FaultyStorage;
import io.raftx.storage.MvStoreRaftStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Disk faults on a 3-node cluster over real gRPC with MVStore storage behind {@link FaultyStorage}: a failed write or
 * fsync stops that node's event loop without acknowledging the write it was persisting, the node reports why, the
 * others carry on (a new leader if it led), and after a restart on its data directory the node catches up with every
 * acknowledged write, in the same order as the others.
 */
class DiskFaultTest {

    @TempDir
    Path dir;

    private final Map<String, FaultyStorage> disks = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0} on the {1}")
    @CsvSource({"WRITE_FAILS, leader", "FSYNC_FAILS, leader", "DISK_FULL, follower", "FSYNC_FAILS, follower"})
    void aFailedCommitStopsTheNodeWithoutAcknowledgingAndItCatchesUpAfterARestart(FaultyStorage.Fault fault,
                                                                                String role) throws Exception {
        try (GrpcTestCluster c = new GrpcTestCluster(3, id -> disks.compute(id, (k, old) -> new FaultyStorage(
                MvStoreRaftStorage.open(dir.resolve(id + ".mv")))), LogMachine::new)
                .withConfig(cfg -> cfg.withRequestTimeout(Duration.ofSeconds(30)))) {
            c.startAll();
            String leader = c.awaitLeader();
            List<String> acked = new ArrayList<>();
            write(c, leader, "before", 20, acked);
            String victim = role.equals("leader") ? leader
                    : c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

            disks.get(victim).failNextCommit(fault);
            CompletableFuture<Applied> during = c.nodes.get(leader).propose(utf8("during"));
            if (victim.equals(leader)) {
                // The leader could not make it durable: the client must not hear "applied" (it may yet commit).
                assertThat(outcome(during)).isNotNull();
            } else {
                during.get(40, TimeUnit.SECONDS); // the leader and the other follower hold it: acknowledged
                acked.add("during");
            }
            RaftNode failed = c.nodes.get(victim);
            await().atMost(Duration.ofSeconds(10)).until(() -> failed.failure() != null);
            assertThat(failed.failure()).hasMessageContaining("(injected)");
            // What the health indicator shows: the probe through the loop fails, naming the cause.
            Throwable probe = catchThrowable(() -> failed.read(ReadConsistency.LOCAL, () -> Boolean.TRUE)
                    .get(10, TimeUnit.SECONDS));
            assertThat(probe).hasMessageContaining("event loop stopped").hasMessageContaining("(injected)");

            String next = awaitLeaderOtherThan(c, victim);
            write(c, next, "after", 20, acked);

            c.stop(victim);
            c.start(victim); // same data directory, a healthy disk
            await().atMost(Duration.ofSeconds(30)).until(() -> c.nodes.values().stream()
                    .allMatch(n -> ((LogMachine) c.machines.get(n.id())).copy().containsAll(acked)));
            write(c, awaitLeaderOtherThan(c, null), "end", 1, acked);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.machines.values().stream()
                    .map(m -> ((LogMachine) m).copy()).distinct().count() == 1);
            List<String> reference = ((LogMachine) c.machines.get(victim)).copy();
            assertThat(reference).containsAll(acked).doesNotHaveDuplicates();
        }
    }

    /**
     * A 2 s fsync stall on the leader: its loop is blocked, so it sends no heartbeats and the others elect a new
     * leader; writes waiting on the stalled leader finish (or are reported unknown) once it resumes and steps down.
     * Measured and printed; asserted: nothing acknowledged is lost and the cluster serves writes again by itself.
     */
    @org.junit.jupiter.api.Test
    void aTwoSecondFsyncStallOnTheLeaderMovesLeadershipAndLosesNothing() throws Exception {
        try (GrpcTestCluster c = new GrpcTestCluster(3, id -> disks.compute(id, (k, old) -> new FaultyStorage(
                MvStoreRaftStorage.open(dir.resolve(id + ".mv")))), LogMachine::new)
                .withConfig(cfg -> cfg.withRequestTimeout(Duration.ofSeconds(30)))) {
            c.startAll();
            String leader = c.awaitLeader();
            List<String> acked = new ArrayList<>();
            write(c, leader, "before", 20, acked);

            disks.get(leader).stallNextCommit(Duration.ofSeconds(2));
            long start = System.nanoTime();
            CompletableFuture<Applied> stalled = c.nodes.get(leader).propose(utf8("stalled"));
            String next = awaitLeaderOtherThan(c, leader);
            long newLeaderMs = (System.nanoTime() - start) / 1_000_000;
            long firstWrite = System.nanoTime();
            write(c, next, "after", 1, acked);
            long firstWriteMs = (System.nanoTime() - firstWrite) / 1_000_000;
            Throwable stalledOutcome = outcome(stalled);
            long stalledMs = (System.nanoTime() - start) / 1_000_000;
            if (stalledOutcome == null) {
                acked.add("stalled");
            }
            write(c, awaitLeaderOtherThan(c, null), "end", 20, acked);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.machines.values().stream()
                    .map(m -> ((LogMachine) m).copy()).distinct().count() == 1);
            assertThat(((LogMachine) c.machines.get(leader)).copy()).containsAll(acked).doesNotHaveDuplicates();
            assertThat(c.nodes.get(leader).failure()).isNull(); // a stall is not a failure: it rejoins by itself
            System.out.printf("fsync stall 2 s on leader %s: new leader %s after %d ms; first write there took %d ms;"
                    + " the write on the stalled leader ended after %d ms: %s%n", leader, next, newLeaderMs,
                    firstWriteMs, stalledMs, stalledOutcome == null ? "applied" : stalledOutcome.toString());
        }
    }

    private static void write(GrpcTestCluster c, String at, String prefix, int count, List<String> acked)
            throws Exception {
        for (int i = 0; i < count; i++) {
            c.nodes.get(at).propose(utf8(prefix + i)).get(40, TimeUnit.SECONDS);
            acked.add(prefix + i);
        }
    }

    /** The failure a future ends with (null if it succeeded); fails the test if it does not end in 40 s. */
    private static Throwable outcome(CompletableFuture<?> f) throws Exception {
        try {
            f.get(40, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static String awaitLeaderOtherThan(GrpcTestCluster c, String excluded) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> c.nodes.values().stream()
                .filter(n -> !n.id().equals(excluded) && n.failure() == null && n.status().role() == Role.LEADER)
                .map(RaftNode::id).findFirst().orElse(null), id -> id != null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
