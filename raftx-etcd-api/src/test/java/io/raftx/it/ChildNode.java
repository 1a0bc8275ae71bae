package io.raftx.it;

import io.raftx.server.NodeMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One RaftX node running {@link NodeMain} in its own JVM, restartable on the same data directory. Each incarnation
 * writes stdout and stderr to its own files under the log directory, so that whatever a node printed before it was
 * killed survives for the failure report.
 */
final class ChildNode {

    /** Exit status of a JVM ended by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    final String id;
    final String peerAddress;
    final String clientAddress;
    final Path dataDir;
    private final Path logDir;
    private final List<String> arguments;
    private final List<String> jvmOptions;
    private final String mainClass;
    private Process process;
    private int incarnation;

    ChildNode(String id, String peerAddress, String clientAddress, Path dataDir, Path logDir, String members,
              String token, int tickMillis) {
        this(id, peerAddress, clientAddress, dataDir, logDir, members, token, tickMillis, List.of());
    }

    /** {@code extra}: further {@link NodeMain} arguments, such as {@code --cluster-id=...}. */
    ChildNode(String id, String peerAddress, String clientAddress, Path dataDir, Path logDir, String members,
              String token, int tickMillis, List<String> extra) {
        this(id, peerAddress, clientAddress, dataDir, logDir, members, token, tickMillis, List.of(),
                NodeMain.class.getName(), extra);
    }

    /** A node run by {@code mainClass} (NodeMain's arguments and then {@code extraArguments}). */
    ChildNode(String id, String peerAddress, String clientAddress, Path dataDir, Path logDir, String members,
              String token, int tickMillis, List<String> jvmOptions, String mainClass, List<String> extraArguments) {
        this.id = id;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.mainClass = mainClass;
        this.peerAddress = peerAddress;
        this.clientAddress = clientAddress;
        this.dataDir = dataDir;
        this.logDir = logDir;
        List<String> args = new ArrayList<>(List.of("--id=" + id, "--address=" + peerAddress,
                "--client-address=" + clientAddress, "--data-dir=" + dataDir, "--members=" + members,
                "--token=" + token, "--tick-ms=" + tickMillis));
        args.addAll(extraArguments);
        this.arguments = List.copyOf(args);
    }

    /** Starts the next incarnation; returns without waiting for it to be ready. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running");
        }
        incarnation++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small and quick to start: three of these share two cores with the test JVM.
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        try {
            Files.createDirectories(logDir);
            // Files, not pipes: nothing to drain, and the output of a killed process is complete up to its death.
            process = new ProcessBuilder(command)
                    .redirectOutput(stdout(incarnation).toFile())
                    .redirectError(stderr(incarnation).toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
    }

    /** Waits for the "READY id" line; fails with the node's output if it dies or takes longer than {@code timeout}. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String ready = "READY " + id;
        while (!read(stdout(incarnation)).contains(ready)) {
            Process p = current();
            if (!p.isAlive()) {
                throw new AssertionError(id + " (incarnation " + incarnation + ") exited with " + p.exitValue()
                        + " before it was ready\n" + logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " (incarnation " + incarnation + ") not ready within " + timeout
                        + "\n" + logTail(40));
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL (on Linux {@link Process#destroyForcibly()} sends it): no shutdown hook, no final flush or fsync. */
    void kill() throws InterruptedException {
        Process p = current();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(id + " did not die within 30 s of SIGKILL");
        }
        if (p.exitValue() != SIGKILL_EXIT) {
            throw new AssertionError(id + " exited with " + p.exitValue() + " rather than by the kill (it died by "
                    + "itself before)\n" + logTail(40));
        }
    }

    /** SIGSTOP: the JVM freezes at once, sockets stay open and silent, as in a long GC pause or a hung VM. */
    void pause() throws InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws InterruptedException {
        long pid = current().pid();
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -" + name + " " + pid + " (" + id + ") exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + name + " to " + id, e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized int incarnation() {
        return incarnation;
    }

    /** The last lines of this incarnation's stdout and stderr, and where the complete logs of all incarnations are. */
    String logTail(int lines) {
        int n = incarnation();
        return "---- " + id + " incarnation " + n + " (all logs: " + logDir.toAbsolutePath() + "/" + id + "-*) ----\n"
                + tail(stderr(n), lines) + tail(stdout(n), 5);
    }

    private synchronized Process current() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process;
    }

    private Path stdout(int n) {
        return logDir.resolve(id + "-" + n + ".out");
    }

    private Path stderr(int n) {
        return logDir.resolve(id + "-" + n + ".err");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        StringBuilder b = new StringBuilder(file.getFileName() + " (last " + Math.min(lines, all.size()) + " of "
                + all.size() + " lines):\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }
}
