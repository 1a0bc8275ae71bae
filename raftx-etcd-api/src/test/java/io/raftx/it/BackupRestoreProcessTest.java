package io.raftx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.raftx.node.GrpcPorts;
import io.raftx.server.NodeMain;
import io.raftx.server.proto.StatusResponse;
import io.raftx.storage.ForceNewCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup, restore and disaster recovery with real processes, driven the way an operator would: {@link NodeMain}
 * nodes, and the {@code backup}, {@code restore} and {@code force-new-cluster} commands run as their own processes.
 * <ol>
 *   <li>an online backup of a running three-node cluster (keys with revisions, a lease);</li>
 *   <li>bad input to restore — truncated, corrupted and other-cluster files, a non-empty data directory, an
 *       address given twice — each refused with its reason and nothing written;</li>
 *   <li>a new three-node cluster restored from the backup (new cluster id, new addresses) while the old one keeps
 *       running: every key with its revisions and lease, and it takes writes;</li>
 *   <li>the permanent loss of a majority of the restored cluster: force-new-cluster refused on the survivor that is
 *       behind another, then run on the one with the longest log, which carries on alone with every acknowledged
 *       write, and a member is added back.</li>
 * </ol>
 */
class BackupRestoreProcessTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void backupRestoreAndForceNewClusterWithRealProcesses() throws Exception {
        Path logDir = Path.of("target", "it-logs", "BackupRestoreProcessTest");
        try (ProcessCluster old = new ProcessCluster(3, "n", dir.resolve("old"), logDir, 50, List.of());
             ProcessCluster restored = new ProcessCluster(3, "r", dir.resolve("restored"), logDir, 50,
                     List.of("--cluster-id=restored"))) {
            // 1. An online backup of a running cluster, taken from a follower.
            old.startAll(READY);
            String leader = old.awaitLeader(SETTLE);
            long lease = LeaseGrpc.newBlockingStub(old.channel(leader)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(3600).build()).getID();
            for (int i = 0; i < 30; i++) {
                put(old, leader, "k" + (i % 10), "v" + i, i == 29 ? lease : 0); // versions and revisions vary
            }
            old.awaitAllCaughtUp(SETTLE);
            String follower = old.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            List<KeyValue> backedUp = all(old, follower);
            Path backup = dir.resolve("old.backup");
            Tool saved = Tool.run("backup", "--endpoint=" + old.node(follower).clientAddress, "--out=" + backup);
            assertThat(saved.exit).as(saved.toString()).isZero();
            assertThat(saved.out).contains("backup of cluster 'raftx' taken on node " + follower);
            put(old, leader, "after-backup", "x", 0);
            assertThat(Tool.run("backup", "--endpoint=" + old.node(follower).clientAddress, "--out=" + backup).err)
                    .contains("already exists");

            // 2. Bad input: refused, with the reason, and nothing written.
            String members = restored.members();
            Path target = restored.node("r1").dataDir;
            byte[] whole = Files.readAllBytes(backup);
            Path truncated = Files.write(dir.resolve("truncated.backup"), Arrays.copyOf(whole, whole.length / 2));
            Path corrupted = Files.write(dir.resolve("corrupted.backup"), whole);
            try (RandomAccessFile f = new RandomAccessFile(corrupted.toFile(), "rw")) {
                f.seek(whole.length / 2);
                f.write(whole[whole.length / 2] ^ 0x01);
            }
            assertRefused("truncated", restore(truncated, "r1", target, members, "--expect-cluster=raftx"), target);
            assertRefused("checksum does not match", restore(corrupted, "r1", target, members), target);
            assertRefused("taken from cluster 'raftx', not from cluster 'payments'",
                    restore(backup, "r1", target, members, "--expect-cluster=payments"), target);
            String sameAddress = members.replaceAll("r2=127\\.0\\.0\\.1:\\d+",
                    "r2=" + restored.node("r1").peerAddress);
            assertRefused("is given to both r1 and r2", restore(backup, "r1", target, sameAddress), target);
            Path occupied = Files.createDirectories(dir.resolve("occupied"));
            Files.writeString(occupied.resolve("notes.txt"), "keep me");
            Tool intoOccupied = restore(backup, "r1", occupied, members);
            assertThat(intoOccupied.exit).as(intoOccupied.toString()).isEqualTo(1);
            assertThat(intoOccupied.err).contains("is not empty");
            try (Stream<Path> files = Files.list(occupied)) {
                assertThat(files.toList()).containsExactly(occupied.resolve("notes.txt"));
            }
            assertThat(Files.readString(occupied.resolve("notes.txt"))).isEqualTo("keep me");

            // 3. A new cluster from the backup, beside the old one (still running, other cluster id).
            for (String id : restored.ids()) {
                Tool r = restore(backup, id, restored.node(id).dataDir, members, "--expect-cluster=raftx");
                assertThat(r.exit).as(r.toString()).isZero();
            }
            restored.startAll(READY);
            String restoredLeader = restored.awaitLeader(SETTLE);
            restored.awaitAllCaughtUp(SETTLE);
            for (String id : restored.ids()) {
                assertThat(all(restored, id)).as("keys on %s", id).isEqualTo(backedUp);
            }
            assertThat(LeaseGrpc.newBlockingStub(restored.channel(restoredLeader)).withDeadlineAfter(10,
                    TimeUnit.SECONDS).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build())
                    .getTTL()).as("the lease came with the backup").isPositive();
            put(restored, restoredLeader, "restored-1", "y", 0);
            assertThat(all(old, leader)).extracting(kv -> kv.getKey().toStringUtf8()).doesNotContain("restored-1");

            // 4. Lose a majority for good. r3 falls behind first; then a node of the remaining two dies.
            restored.kill("r3");
            String survivor = restored.ids().stream().filter(id -> !id.equals("r3")).findFirst().orElseThrow();
            String lost = restored.ids().stream().filter(id -> !id.equals("r3") && !id.equals(survivor))
                    .findFirst().orElseThrow();
            restored.awaitLeader(SETTLE);
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                put(restored, survivor, "late-" + i, "z", 0);
                acknowledged.add("late-" + i);
            }
            restored.awaitCaughtUp(survivor, SETTLE);
            restored.kill(lost);

            // r3 is behind the survivor, which still runs and answers: refused, r3's log unchanged.
            ForceNewCluster.LogState r3Before = ForceNewCluster.inspect(restored.node("r3").dataDir, "r3");
            Tool behind = Tool.run("force-new-cluster", "--id=r3", "--address=" + restored.node("r3").peerAddress,
                    "--data-dir=" + restored.node("r3").dataDir, "--survivors="
                            + restored.node(survivor).clientAddress);
            assertThat(behind.exit).as(behind.toString()).isEqualTo(1);
            assertThat(behind.err).contains("refusing to force a new cluster from node r3")
                    .contains("survivor " + survivor);
            assertThat(ForceNewCluster.inspect(restored.node("r3").dataDir, "r3")).isEqualTo(r3Before);

            // The survivor with the longest log: stopped, forced, started alone.
            restored.kill(survivor);
            Tool forced = Tool.run("force-new-cluster", "--id=" + survivor, "--address="
                    + restored.node(survivor).peerAddress, "--data-dir=" + restored.node(survivor).dataDir,
                    "--survivors=" + restored.node("r3").clientAddress);
            assertThat(forced.exit).as(forced.toString()).isZero();
            assertThat(forced.err).contains("WARNING").contains("could not ask survivor");
            restored.restart(survivor, READY);
            awaitRole(restored, survivor, "LEADER");
            List<String> keys = all(restored, survivor).stream().map(kv -> kv.getKey().toStringUtf8()).toList();
            assertThat(keys).containsAll(acknowledged).contains("restored-1");
            put(restored, survivor, "alone", "w", 0);

            // Add a member back, empty, at a new address.
            String address = "127.0.0.1:" + GrpcPorts.free();
            String id = address.replace(':', '-'); // the id the etcd API gives a member added by address
            ChildNode added = new ChildNode(id, address, "127.0.0.1:" + GrpcPorts.free(), dir.resolve("added"),
                    logDir, survivor + "=" + restored.node(survivor).peerAddress, ProcessCluster.token(), 50,
                    List.of("--cluster-id=restored"));
            try {
                added.start();
                added.awaitReady(READY);
                ClusterGrpc.newBlockingStub(restored.channel(survivor)).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://" + address).build());
                long commit = restored.status(survivor).orElseThrow().getCommitIndex();
                ProcessClusterWait.until("the added member applied index " + commit, SETTLE, () ->
                        ProcessClusterWait.status(added.clientAddress).map(s -> s.getAppliedIndex() >= commit)
                                .orElse(false));
            } finally {
                added.kill();
            }
        }
        deleteRecursively(logDir);
    }

    private static void put(ProcessCluster cluster, String id, String key, String value, long lease) {
        cluster.kv(id).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).setLease(lease).build());
    }

    /** Every key this node has applied, with revisions, version and lease. */
    private static List<KeyValue> all(ProcessCluster cluster, String id) {
        return cluster.kv(id).withDeadlineAfter(10, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setSerializable(true).build()).getKvsList();
    }

    private static void awaitRole(ProcessCluster cluster, String id, String role) throws InterruptedException {
        ProcessClusterWait.until(id + " is " + role, SETTLE, () -> cluster.status(id)
                .map(StatusResponse::getRole).filter(role::equals).isPresent());
    }

    private static Tool restore(Path backup, String id, Path dataDir, String members, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", "--backup=" + backup, "--id=" + id, "--data-dir="
                + dataDir, "--cluster-id=restored", "--members=" + members));
        args.addAll(List.of(extra));
        return Tool.run(args.toArray(String[]::new));
    }

    private static void assertRefused(String reason, Tool tool, Path target) {
        assertThat(tool.exit).as(tool.toString()).isEqualTo(1);
        assertThat(tool.err).contains("restore refused").contains(reason);
        assertThat(target).as("nothing written for: " + reason).doesNotExist();
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            assertThat(siblings.toList()).as("no leftovers").allMatch(p -> !p.getFileName().toString()
                    .startsWith(".restoring-"));
        } catch (IOException e) {
            // the parent does not exist either: nothing was written
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One run of a {@link NodeMain} command in its own JVM. */
    private record Tool(int exit, String out, String err) {
        static Tool run(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    NodeMain.class.getName()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("tool", ".out");
            Path err = Files.createTempFile("tool", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("NodeMain " + String.join(" ", args) + " did not finish in 120 s");
                }
                return new Tool(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }
}
