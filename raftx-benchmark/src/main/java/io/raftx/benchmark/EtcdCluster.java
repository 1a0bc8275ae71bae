package io.raftx.benchmark;

import io.raftx.node.GrpcPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local etcd cluster on loopback, one process per member, for side-by-side runs (GUIDE §6). Uses the {@code etcd}
 * binary on the PATH ({@code apt-get install etcd-server}); etcd fsyncs its WAL by default, like RaftX.
 */
final class EtcdCluster implements ServerCluster {

    private final List<Process> processes = new ArrayList<>();
    private final List<String> clientEndpoints = new ArrayList<>();

    static boolean available() {
        try {
            Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    EtcdCluster(int size, Path dir) throws IOException {
        List<Integer> clientPorts = new ArrayList<>();
        List<Integer> peerPorts = new ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            clientPorts.add(GrpcPorts.free());
            peerPorts.add(GrpcPorts.free());
            initial.append(i > 1 ? "," : "").append("e").append(i).append("=http://127.0.0.1:").append(peerPorts.get(i - 1));
        }
        for (int i = 1; i <= size; i++) {
            String client = "http://127.0.0.1:" + clientPorts.get(i - 1);
            String peer = "http://127.0.0.1:" + peerPorts.get(i - 1);
            Path data = Files.createDirectories(dir.resolve("e" + i));
            ProcessBuilder pb = new ProcessBuilder("etcd", "--name", "e" + i, "--data-dir", data.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initial.toString(), "--initial-cluster-state", "new",
                    "--initial-cluster-token", "raftx-bench", "--log-level", "error")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("e" + i + ".log").toFile());
            processes.add(pb.start());
            clientEndpoints.add("127.0.0.1:" + clientPorts.get(i - 1));
        }
    }

    @Override
    public List<String> clientEndpoints() {
        return clientEndpoints;
    }

    @Override
    public List<Process> processes() {
        return processes;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
