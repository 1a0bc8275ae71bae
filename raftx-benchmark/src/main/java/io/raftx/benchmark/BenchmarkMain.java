package io.raftx.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Closed-loop load against RaftX and, where etcd is installed, a local etcd cluster of the same size. By default
 * (topology {@code process}) each RaftX node is its own JVM process (the standalone server) and both systems are
 * driven by the same etcd v3 API client from this process; rounds alternate which system goes first. Prints one
 * line per system and round ({@code mode=put ops/s=N p50=Xms p99=Yms errors=E cpu_ms_per_op=C}), the ratio, and
 * at the end the medians over rounds.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("failover")) {
            FailoverMain.main(Arrays.copyOfRange(args, 1, args.length)); // the failover timer and soak
            return;
        }
        BenchmarkOptions o;
        try {
            o = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("raftx-bench");
        System.out.printf("# %d cores, Java %s, topology=%s, %d nodes, mode=%s inflight=%d ops=%d warmup=%d"
                        + " warmup-max=%ds value=%dB keys=%d rounds=%d dir=%s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), o.topology(), o.nodes(), o.mode(), o.inFlight(), o.ops(),
                o.warmupOps(), o.warmupMaxSeconds(), o.valueSize(), o.keys(), o.rounds(), dir);
        List<String> systems = new ArrayList<>();
        if (!o.system().equals("etcd")) {
            systems.add("raftx");
        }
        if (!o.system().equals("raftx")) {
            if (EtcdCluster.available()) {
                systems.add("etcd");
            } else {
                System.out.println("# etcd: not installed (apt-get install etcd-server); skipped");
            }
        }
        if (o.topology().equals("inprocess")) {
            systems.remove("etcd"); // never compared with a networked figure
            System.out.println("# in-process: RaftX nodes inside this JVM, called directly; not comparable with etcd");
        }
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        for (int round = 1; round <= o.rounds(); round++) {
            List<String> order = new ArrayList<>(systems);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            Map<String, Measurement> thisRound = new LinkedHashMap<>();
            for (String system : order) {
                Measurement m = runOne(o, system, dir.resolve("round" + round).resolve(system));
                System.out.printf("%-5s round=%d %s%n", system, round, m.line());
                thisRound.put(system, m);
                results.computeIfAbsent(system, s -> new ArrayList<>()).add(m);
            }
            if (thisRound.size() == 2) {
                System.out.printf("round=%d %s%n", round, Measurement.ratioLine(thisRound.get("raftx"), thisRound.get("etcd")));
            }
        }
        Map<String, Measurement> medians = new LinkedHashMap<>();
        results.forEach((system, ms) -> medians.put(system, Measurement.median(ms)));
        medians.forEach((system, m) -> System.out.printf("median %-5s %s%n", system, m.line()));
        if (medians.size() == 2) {
            System.out.println("median " + Measurement.ratioLine(medians.get("raftx"), medians.get("etcd")));
        }
        System.exit(0); // gRPC and node threads are not all daemons
    }

    private static Measurement runOne(BenchmarkOptions o, String system, Path dir) throws Exception {
        if (o.topology().equals("inprocess")) {
            try (RaftxEmbeddedCluster raftx = RaftxEmbeddedCluster.start(o.nodes(), dir)) {
                return Measurement.of(load(o, raftx, system, List.of(), () -> { }), Double.NaN, Double.NaN);
            }
        }
        try (ServerCluster cluster = system.equals("raftx")
                ? new RaftxProcessCluster(o.nodes(), dir, System.getProperty("java.class.path"))
                : new EtcdCluster(o.nodes(), dir);
             EtcdApiTarget target = new EtcdApiTarget(cluster.clientEndpoints())) {
            target.awaitReady(Duration.ofSeconds(60));
            if (o.mode().equals("idle")) {
                warmUp(o, target, system, "put", pids(cluster)); // warm the JIT and the connections first
                long cpu0 = ProcCpu.millis(cluster.processes());
                long t0 = System.nanoTime();
                Thread.sleep(o.idleSeconds() * 1000L);
                double wallMs = (System.nanoTime() - t0) / 1e6;
                double perNode = (ProcCpu.millis(cluster.processes()) - cpu0) / wallMs * 100 / cluster.processes().size();
                return Measurement.idle(perNode);
            }
            long[] cpuAtStart = new long[2];
            ClosedLoopLoad.Result r = load(o, target, system, pids(cluster), () -> {
                cpuAtStart[0] = ProcCpu.millis(cluster.processes());
                cpuAtStart[1] = ProcCpu.ownMillis();
            });
            return Measurement.of(r, (double) (ProcCpu.millis(cluster.processes()) - cpuAtStart[0]) / r.ops(),
                    (double) (ProcCpu.ownMillis() - cpuAtStart[1]) / r.ops());
        }
    }

    private static List<Long> pids(ServerCluster cluster) {
        return cluster.processes().stream().map(Process::pid).toList();
    }

    /**
     * Prefill (for reads and CAS), warm-up, then the measured run; {@code beforeMeasured} runs just before it.
     * {@code serverPids} are the server processes whose JIT the warm-up waits for (none in-process: this JVM).
     */
    static ClosedLoopLoad.Result load(BenchmarkOptions o, LoadTarget target, String system, List<Long> serverPids,
                                      Runnable beforeMeasured) throws InterruptedException {
        if (!o.mode().equals("put")) {
            runLoad(o, target, "prefill", o.keys(), o.inFlight()); // every key exists before reads and CAS
        }
        warmUp(o, target, system, o.mode(), serverPids);
        beforeMeasured.run();
        return runLoad(o, target, o.mode(), o.ops(), o.inFlight());
    }

    /**
     * {@code --warmup} operations, then more in chunks of about 10 s until the JIT compiler threads of the servers
     * and of this process use under {@value JitActivity#QUIET_PERCENT} % of a core per process over a chunk, or
     * {@code --warmup-max-seconds} passed. A long-running node is JIT-warm; what it does in its first minutes under
     * a new load is not its steady state. At least 64 in flight, so that a 1-in-flight run warms up in reasonable
     * time. Prints how long it took.
     */
    private static void warmUp(BenchmarkOptions o, LoadTarget target, String system, String mode,
                               List<Long> serverPids) throws InterruptedException {
        int inFlight = Math.max(64, o.inFlight());
        long start = System.nanoTime();
        long ops = 0;
        double rate = 1000;
        if (o.warmupOps() > 0) {
            ClosedLoopLoad.Result r = runLoad(o, target, mode, o.warmupOps(), inFlight);
            ops += r.ops();
            rate = r.opsPerSecond();
        }
        if (o.warmupMaxSeconds() == 0) {
            return;
        }
        List<Long> pids = JitActivity.withThisProcess(serverPids);
        double compilersPercent;
        do {
            long chunk = Math.max(100, (long) (rate * 10));
            long ticks0 = JitActivity.compilerTicks(pids);
            long t0 = System.nanoTime();
            ClosedLoopLoad.Result r = runLoad(o, target, mode, chunk, inFlight);
            compilersPercent = JitActivity.percentOfCore(JitActivity.compilerTicks(pids) - ticks0, t0, pids.size());
            ops += r.ops();
            rate = r.opsPerSecond();
        } while (compilersPercent >= JitActivity.QUIET_PERCENT
                && (System.nanoTime() - start) / 1e9 < o.warmupMaxSeconds());
        System.out.printf(Locale.ROOT, "# %s warm-up: %.0f s, %d operations; %s%n", system,
                (System.nanoTime() - start) / 1e9, ops, JitActivity.summary(compilersPercent));
    }

    private static ClosedLoopLoad.Result runLoad(BenchmarkOptions o, LoadTarget target, String mode, long ops,
                                                 int inFlight) throws InterruptedException {
        byte[] value = new byte[o.valueSize()];
        Arrays.fill(value, (byte) 'v');
        byte[][] keys = new byte[o.keys()][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = ("bench." + k).getBytes(StandardCharsets.UTF_8);
        }
        LongFunction<CompletableFuture<?>> op = switch (mode) {
            case "put", "prefill", "idle" -> i -> target.put(i, keys[(int) (i % keys.length)], value);
            case "get" -> i -> target.get(i, keys[(int) (i % keys.length)], false);
            case "sget" -> i -> target.get(i, keys[(int) (i % keys.length)], true);
            case "cas" -> i -> ((CasTarget) target).cas(i, keys[(int) (i % keys.length)], value);
            default -> throw new IllegalArgumentException("mode " + mode);
        };
        return ClosedLoopLoad.run(mode, inFlight, ops, op);
    }
}
