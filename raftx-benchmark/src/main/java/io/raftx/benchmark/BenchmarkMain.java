package io.raftx.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Closed-loop load against an embedded RaftX cluster and, where etcd is installed, a local etcd cluster of the
 * same size, both on loopback with durable storage, both through the etcd v3 KV API. Prints one line per system:
 * {@code mode=put ops/s=N p50=Xms p99=Yms errors=E}.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions o;
        try {
            o = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("raftx-bench");
        System.out.printf("# %d cores, Java %s, %d nodes, inflight=%d ops=%d value=%dB keys=%d dir=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), o.nodes(),
                o.inFlight(), o.ops(), o.valueSize(), o.keys(), dir);
        if (!o.system().equals("etcd")) {
            try (LoadTarget raftx = RaftxEmbeddedCluster.start(o.nodes(), dir.resolve("raftx"))) {
                System.out.println("raftx " + run(o, raftx).line());
            }
        }
        if (!o.system().equals("raftx")) {
            if (!EtcdCluster.available()) {
                System.out.println("# etcd: not installed (apt-get install etcd-server); skipped");
            } else {
                try (EtcdCluster etcd = new EtcdCluster(o.nodes(), dir.resolve("etcd"));
                     EtcdApiTarget target = new EtcdApiTarget(etcd.clientEndpoints())) {
                    target.awaitReady(Duration.ofSeconds(30));
                    System.out.println("etcd  " + run(o, target).line());
                }
            }
        }
        System.exit(0); // gRPC and node threads are not all daemons
    }

    static ClosedLoopLoad.Result run(BenchmarkOptions o, LoadTarget target) throws InterruptedException {
        byte[] value = new byte[o.valueSize()];
        Arrays.fill(value, (byte) 'v');
        byte[][] keys = new byte[o.keys()][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = ("bench." + k).getBytes(StandardCharsets.UTF_8);
        }
        if (!o.mode().equals("put")) {
            ClosedLoopLoad.run("prefill", o.inFlight(), keys.length, i -> target.put(i, keys[(int) i], value));
        }
        java.util.function.LongFunction<CompletableFuture<?>> op = switch (o.mode()) {
            case "put" -> i -> target.put(i, keys[(int) (i % keys.length)], value);
            case "get" -> i -> target.get(i, keys[(int) (i % keys.length)], false);
            default -> i -> target.get(i, keys[(int) (i % keys.length)], true);
        };
        if (o.warmupOps() > 0) {
            ClosedLoopLoad.run(o.mode(), o.inFlight(), o.warmupOps(), op);
        }
        return ClosedLoopLoad.run(o.mode(), o.inFlight(), o.ops(), op);
    }
}
