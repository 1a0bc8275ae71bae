package io.raftx.benchmark;

import io.raftx.node.GrpcPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A RaftX cluster of standalone node processes ({@code io.raftx.server.NodeMain}), one JVM per node with default JVM
 * flags, durable MVStore storage in {@code dir}, gRPC between peers and the etcd v3 API on each client port: what a
 * user deploying one node per application instance runs.
 */
final class RaftxProcessCluster implements ServerCluster {

    private static final String TOKEN = "benchmark-token-0123456789";

    private final Path dir;
    private final String classpath;
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final Map<String, String> clients = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    RaftxProcessCluster(int size, Path dir, String classpath) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.classpath = classpath;
        for (int i = 1; i <= size; i++) {
            peers.put("n" + i, "127.0.0.1:" + GrpcPorts.free());
            clients.put("n" + i, "127.0.0.1:" + GrpcPorts.free());
        }
        for (String id : peers.keySet()) {
            start(id);
        }
        for (String id : peers.keySet()) {
            awaitReady(id, Duration.ofSeconds(60));
        }
    }

    /** Starts (or restarts) node {@code id} on its data directory; returns without waiting for it to be ready. */
    void start(String id) throws IOException {
        StringJoiner members = new StringJoiner(",");
        peers.forEach((n, a) -> members.add(n + "=" + a));
        Path log = dir.resolve(id + ".log");
        // Wall-clock stamps in the node logs, to line up a failover across nodes; logging only, not a tuning flag.
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        // For profiling only (e.g. -XX:StartFlightRecording); measured runs use the JVM's defaults, as users do.
        command.addAll(argumentsFrom("raftx.bench.nodeJvmArgs", id));
        command.addAll(List.of("-cp", classpath, "io.raftx.server.NodeMain",
                "--id=" + id, "--address=" + peers.get(id), "--client-address=" + clients.get(id),
                "--data-dir=" + dir.resolve(id), "--members=" + members, "--token=" + TOKEN));
        // For experiments with the node's own settings (e.g. --snapshot-count=20000); measured runs use its defaults.
        command.addAll(argumentsFrom("raftx.bench.nodeArgs", id));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processes.put(id, pb.start());
    }

    /** The space-separated arguments in system property {@code name}, with {@code {id}} replaced by the node's id. */
    private static List<String> argumentsFrom(String name, String id) {
        return Arrays.stream(System.getProperty(name, "").replace("{id}", id).split(" "))
                .filter(arg -> !arg.isBlank()).toList();
    }

    /** Waits until node {@code id}'s log says READY (the process started its node and client port). */
    void awaitReady(String id, Duration timeout) throws IOException, InterruptedException {
        Path log = dir.resolve(id + ".log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = processes.get(id);
            if (!p.isAlive()) {
                throw new IllegalStateException("node " + id + " exited with " + p.exitValue() + "; see " + log);
            }
            if (Files.exists(log) && Files.readString(log).contains("READY " + id)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node " + id + " not ready within " + timeout + "; see " + log);
    }

    Map<String, String> clientEndpointsById() {
        return clients;
    }

    Process process(String id) {
        return processes.get(id);
    }

    @Override
    public List<String> clientEndpoints() {
        return new ArrayList<>(clients.values());
    }

    @Override
    public List<Process> processes() {
        return new ArrayList<>(processes.values());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroy(); // SIGTERM: a clean stop (and a flight recording, when one was asked for, gets written)
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
