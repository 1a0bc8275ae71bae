package io.raftx.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The failover timer: for each cluster size, starts that many standalone RaftX node processes, runs a steady write
 * load against all of them through the etcd v3 API and faults the current leader over and over (SIGKILL then
 * restart; SIGSTOP then SIGCONT). Per fault kind and size it prints p50/p99/max of fault -> new leader known to a
 * majority (from the nodes' Admin status) and fault -> first acknowledged write started after the fault, as table
 * rows for src-docs/benchmarks.md. With {@code --soak-minutes=N} it instead runs N minutes of load without faults.
 */
public final class FailoverMain {

    private FailoverMain() {
    }

    public static void main(String[] args) throws Exception {
        FailoverOptions o;
        try {
            o = FailoverOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("raftx-failover");
        System.out.printf(Locale.ROOT, "# %d cores, Java %s, sizes=%s kinds=%s faults=%d stop=%dms inflight=%d "
                        + "probe=%dms retry=%dms settle=%dms warmup=%ds warmup-max=%ds soak=%dmin dir=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), o.sizes(), o.kinds(),
                o.faults(), o.stopMs(), o.inFlight(), o.probeMs(), o.retryMs(), o.settleMs(), o.warmupSeconds(),
                o.warmupMaxSeconds(), o.soakMinutes(), dir);
        List<String> rows = new ArrayList<>();
        for (int size : o.sizes()) {
            try (RaftxProcessCluster cluster = new RaftxProcessCluster(size, dir.resolve("n" + size),
                    System.getProperty("java.class.path"));
                 EtcdApiTarget target = new EtcdApiTarget(cluster.clientEndpoints());
                 NodeStatusPoller status = new NodeStatusPoller(cluster.clientEndpointsById());
                 SteadyWriteLoad load = new SteadyWriteLoad(target, o.inFlight(), o.valueSize(), o.keys())) {
                target.awaitReady(Duration.ofSeconds(60));
                load.start(o.probeMs(), o.retryMs());
                FailoverTrials trials = new FailoverTrials(cluster, status, load, o);
                if (o.soakMinutes() == 0) {
                    warmUp(cluster, load, o, size);
                }
                if (o.soakMinutes() > 0) {
                    Soak.run(cluster, status, load, o.soakMinutes(), trials.awaitWholeCluster());
                    continue;
                }
                for (LeaderFault kind : o.kinds()) {
                    Durations[] d = trials.run(kind);
                    String row = String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |", kind.option(), size,
                            o.faults(), cells(d[0]), cells(d[1]));
                    System.out.printf("failover kind=%s nodes=%d leader: %s | first ack: %s | writes acked=%d "
                            + "failed=%d%n", kind.option(), size, d[0].summary(), d[1].summary(), load.acked(),
                            load.failed());
                    rows.add(row);
                }
            }
        }
        if (!rows.isEmpty()) {
            System.out.println("| fault | nodes | faults | new leader p50 / p99 / max (ms) | first ack p50 / p99 / max (ms) |");
            System.out.println("|---|---|---|---|---|");
            rows.forEach(System.out::println);
        }
        System.exit(0); // gRPC threads are not all daemons
    }

    /**
     * Load before the first fault: at least {@code --warmup-seconds}, then until the JVMs' compilers are quiet (at
     * most {@code --warmup-max-seconds}), so that the first trials measure failover rather than the JIT compiling
     * the election and recovery paths. Nodes restarted after a kill start cold again; those trials are measured.
     */
    private static void warmUp(RaftxProcessCluster cluster, SteadyWriteLoad load, FailoverOptions o, int size)
            throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(o.warmupSeconds() * 1000);
        String jit = "";
        if (o.warmupMaxSeconds() > 0) {
            List<Long> pids = JitActivity.withThisProcess(cluster.processes().stream().map(Process::pid).toList());
            jit = "; " + JitActivity.summary(JitActivity.awaitQuiet(pids, o.warmupMaxSeconds()));
        }
        System.out.printf(Locale.ROOT, "# %d nodes: %.0f s of load before the first fault, %d writes acked%s%n", size,
                (System.nanoTime() - start) / 1e9, load.acked(), jit);
    }

    private static String cells(Durations d) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f%s", d.percentile(0.5), d.percentile(0.99), d.max(),
                d.missing() == 0 ? "" : " (" + d.missing() + " not seen)");
    }
}
