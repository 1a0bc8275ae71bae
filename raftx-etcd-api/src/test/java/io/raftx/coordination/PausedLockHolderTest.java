package io.raftx.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.GrpcPorts;
import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import io.raftx.volatilenode.VolatileTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing for a paused holder: the lock is held by a child JVM ({@link PausedHolderMain}, itself a member of
 * the cluster), which is frozen with SIGSTOP past its lease. Another node is granted the lock with a greater token;
 * the holder, resumed with SIGCONT, finds its lease invalid at its next check and stops acting.
 */
@EnabledOnOs(OS.LINUX)
class PausedLockHolderTest {

    private static final String TOKEN = "paused-holder-token-0123456789ab";
    private static final Duration LEASE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    Process holder;
    final List<RaftxServer> local = new ArrayList<>();

    @AfterEach
    void stop() {
        if (holder != null) {
            holder.destroyForcibly();
        }
        local.forEach(RaftxServer::close);
    }

    @Test
    void aHolderPausedPastItsLeaseLosesTheLockToAGreaterToken() throws Exception {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + GrpcPorts.free());
        }
        holder = startHolder("n3", members);
        for (String id : List.of("n1", "n2")) {
            local.add(new RaftxServer(new ServerSettings(id, members.get(id), null, dir.resolve(id), members, TOKEN,
                    VolatileTestCluster.TICK)).start());
        }
        Path log = dir.resolve("n3.log");
        long heldToken = Long.parseLong(await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> line(log, "TOKEN "), t -> t != null));

        await().atMost(Duration.ofSeconds(10)).until(() -> acts(log).size() >= 5); // it holds and acts

        signal("STOP");
        List<Long> actsBeforePause = acts(log);
        assertThat(line(log, "LOST ")).as("lost before the pause:%n%s", Files.readString(log)).isNull();
        long validUntil = actsBeforePause.get(actsBeforePause.size() - 1);
        DistributedLock contender = new DistributedLock(local.get(0).volatiles().withTimeout(Duration.ofSeconds(20)),
                "locks.paused", "n1", LockOptions.ofLease(LEASE));
        LockLease taken = contender.tryAcquire(Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS).orElseThrow();
        long takenAt = System.nanoTime();
        assertThat(taken.fencingToken()).isGreaterThan(heldToken);
        assertThat(takenAt).as("granted after the paused holder's lease had ended").isGreaterThan(validUntil);

        signal("CONT");
        String lost = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> line(log, "LOST "), l -> l != null);
        // At most one action was already past its check when the process froze: that gap is what the fencing token
        // closes (a resource checking tokens refuses it, since taken.fencingToken() is greater).
        assertThat(acts(log).size() - actsBeforePause.size()).as("actions after the pause").isLessThanOrEqualTo(1);
        assertThat(lost).isNotBlank();
        assertThat(taken.isValid()).isTrue();
        assertThat(contender.holder().get(10, TimeUnit.SECONDS)).map(LockHolder::owner).contains("n1");
        taken.release().get(10, TimeUnit.SECONDS);
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(holder.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", name).isTrue();
    }

    private Process startHolder(String id, Map<String, String> members) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String memberList = members.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PausedHolderMain.class.getName(), id, dir.resolve(id).toString(), memberList, TOKEN,
                Long.toString(VolatileTestCluster.TICK.toMillis()), Long.toString(LEASE.toMillis()), "locks.paused")
                .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start();
    }

    /** The rest of the first line starting with {@code prefix}, or null. */
    private String line(Path log, String prefix) throws Exception {
        if (!holder.isAlive()) {
            throw new AssertionError("the holder exited:\n" + Files.readString(log));
        }
        if (!Files.exists(log)) {
            return null;
        }
        return completeLines(log).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElse(null);
    }

    /** The lease ends the holder printed with each action. */
    private static List<Long> acts(Path log) throws Exception {
        return completeLines(log).stream().filter(l -> l.startsWith("ACT "))
                .map(l -> Long.parseLong(l.substring(4))).toList();
    }

    /** The lines the holder has finished writing (not one it is in the middle of). */
    private static List<String> completeLines(Path log) throws Exception {
        List<String> lines = new ArrayList<>(List.of(Files.readString(log).split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }
}
