package io.raftx.volatilenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.GrpcPorts;
import io.raftx.server.NodeMain;
import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: two nodes run as child JVMs ({@link NodeMain}), the third in this JVM serves as the client. The
 * volatile leader is one of the children; after acknowledged writes it is killed with SIGKILL (no shutdown hook, no
 * goodbye on any socket), and every acknowledged write must still be readable through the new leader.
 */
class VolatileSigkillTest {

    private static final String TOKEN = "volatile-sigkill-token-0123456789";

    @TempDir
    Path dir;
    final Map<String, Process> children = new LinkedHashMap<>();
    RaftxServer local;

    @AfterEach
    void stop() {
        children.values().forEach(Process::destroyForcibly);
        if (local != null) {
            local.close();
        }
    }

    @Test
    void acknowledgedVolatileWritesSurviveTheLeaderBeingSigkilled() throws Exception {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + GrpcPorts.free());
        }
        for (String id : List.of("n1", "n2")) {
            children.put(id, startChild(id, members));
        }
        local = new RaftxServer(new ServerSettings("n3", members.get("n3"), null, dir.resolve("n3"), members, TOKEN,
                VolatileTestCluster.TICK)).start();
        for (String id : children.keySet()) {
            awaitReady(id);
        }
        // Make a child the leader: the one killed must not be this JVM.
        String leader = await().atMost(Duration.ofSeconds(30)).until(() -> local.node().status().leaderId(), l -> l != null);
        if (leader.equals("n3")) {
            local.node().transferLeadership("n1").get(10, TimeUnit.SECONDS);
            leader = await().atMost(Duration.ofSeconds(10)).until(() -> local.node().status().leaderId(),
                    l -> l != null && !l.equals("n3"));
        }

        VolatileClient client = local.volatiles().withTimeout(Duration.ofSeconds(20));
        List<VolatileWriteResult> acked = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            acked.add(client.put("killed." + i, "v" + i, null).get(30, TimeUnit.SECONDS));
        }
        String servedBy = local.node().status().leaderId();
        assertThat(servedBy).isIn("n1", "n2");

        children.get(servedBy).destroyForcibly(); // SIGKILL
        children.get(servedBy).waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String l = local.node().status().leaderId();
            return l != null && !l.equals(servedBy);
        });
        for (int i = 0; i < 30; i++) {
            var v = client.get("killed." + i).get(30, TimeUnit.SECONDS);
            assertThat(v).as("acknowledged write %d after SIGKILL of %s", i, servedBy).isPresent();
            assertThat(new String(v.get().bytes(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
            assertThat(v.get().version()).isEqualTo(acked.get(i).index());
        }
        VolatileWriteResult after = client.put("after.kill", "x", null).get(30, TimeUnit.SECONDS);
        assertThat(after.index()).isGreaterThan(acked.get(acked.size() - 1).index());
    }

    private Process startChild(String id, Map<String, String> members) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String memberList = members.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        Path log = dir.resolve(id + ".log");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), "--id=" + id, "--address=" + members.get(id),
                "--data-dir=" + dir.resolve(id), "--members=" + memberList, "--token=" + TOKEN,
                "--tick-ms=" + VolatileTestCluster.TICK.toMillis())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitReady(String id) {
        Path log = dir.resolve(id + ".log");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!children.get(id).isAlive()) {
                throw new AssertionError("child " + id + " exited:\n" + Files.readString(log));
            }
            return Files.exists(log) && Files.readString(log).contains("READY " + id);
        });
    }
}
