package io.raftx.spring;

import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import java.nio.file.Path;
import java.time.Duration;

/** Shared helpers: free loopback ports, fast timing, waiting for a leader. */
public final class RaftxTestSupport {

    /** Ticks of 10 ms: elections in well under a second, so tests stay quick. */
    public static final String FAST_TICK = "raftx.timing.tick=10ms";

    private RaftxTestSupport() {
    }

    public static int freePort() {
        return io.raftx.node.GrpcPorts.free();
    }

    /** Properties of a single-node cluster on a free loopback port with its data in {@code dir}. */
    public static String[] singleNode(Path dir) {
        return new String[] {"raftx.node-id=n1", "raftx.address=127.0.0.1:" + freePort(),
                "raftx.data-dir=" + dir.resolve("n1"), FAST_TICK};
    }

    public static void awaitLeader(RaftNode node) {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.status() != null
                && node.status().role() == Role.LEADER);
    }
}
