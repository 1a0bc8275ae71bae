package io.raftx.benchmark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options: {@code --name=value} pairs. Unknown names are an error listing the known ones. */
record BenchmarkOptions(String mode, int inFlight, long ops, int valueSize, int keys, int nodes, String system,
                        Path dir, long warmupOps, int warmupMaxSeconds, String topology, int rounds,
                        int idleSeconds) {

    static final String USAGE = """
            options (all optional):
              --mode=put|get|sget|cas|idle
                                      put: durable writes; get: linearizable reads; sget: serializable reads;
                                      cas: compare-and-set transactions (etcd Txn); idle: CPU per node without load
              --inflight=N            operations outstanding at once (closed loop), default 256
              --ops=N                 operations measured, default 50000
              --warmup=N              operations run first and not measured, default ops/5
              --warmup-max-seconds=N  after those, the warm-up load goes on until the JIT compiler threads of the
                                      server processes and of this one use under 3 % of a core per process over
                                      10 s (steady state; a JVM under a new load compiles for minutes), at most
                                      this long; default 300, 0 stops after --warmup operations
              --value-size=BYTES      default 256
              --keys=N                distinct keys, default 1000
              --nodes=N               cluster size, default 3
              --system=raftx|etcd|both  default both (etcd only where the etcd binary is installed)
              --topology=process|inprocess
                                      process (default): one RaftX node per JVM process, driven through the etcd v3
                                      API by the same client as etcd; inprocess: N RaftX nodes inside this JVM called
                                      directly (for profiling; never compare it with a networked figure)
              --rounds=N              rounds per system, alternating which system runs first, default 3
              --idle-seconds=N        how long mode=idle measures, default 60
              --dir=PATH              where data directories go, default a new temp directory
            """;

    static BenchmarkOptions parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>(Map.ofEntries(Map.entry("mode", "put"), Map.entry("inflight", "256"),
                Map.entry("ops", "50000"), Map.entry("value-size", "256"), Map.entry("keys", "1000"),
                Map.entry("nodes", "3"), Map.entry("system", "both"), Map.entry("dir", ""), Map.entry("warmup", ""),
                Map.entry("warmup-max-seconds", "300"),
                Map.entry("topology", "process"), Map.entry("rounds", "3"), Map.entry("idle-seconds", "60")));
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (name == null || !o.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
            o.put(name, a.substring(eq + 1));
        }
        String mode = o.get("mode");
        if (!mode.matches("put|get|sget|cas|idle")) {
            throw new IllegalArgumentException("--mode must be put, get, sget, cas or idle, got '" + mode + "'");
        }
        String system = o.get("system");
        if (!system.matches("raftx|etcd|both")) {
            throw new IllegalArgumentException("--system must be raftx, etcd or both, got '" + system + "'");
        }
        String topology = o.get("topology");
        if (!topology.matches("process|inprocess")) {
            throw new IllegalArgumentException("--topology must be process or inprocess, got '" + topology + "'");
        }
        if (topology.equals("inprocess") && !mode.matches("put|get|sget")) {
            throw new IllegalArgumentException("--topology=inprocess supports --mode=put, get and sget only; "
                    + "use --topology=process for " + mode);
        }
        long ops = positive(o, "ops");
        return new BenchmarkOptions(mode, (int) positive(o, "inflight"), ops, (int) positive(o, "value-size"),
                (int) positive(o, "keys"), (int) positive(o, "nodes"), system,
                o.get("dir").isEmpty() ? null : Path.of(o.get("dir")),
                o.get("warmup").isEmpty() ? ops / 5 : Long.parseLong(o.get("warmup")),
                nonNegative(o, "warmup-max-seconds"), topology, (int) positive(o, "rounds"),
                (int) positive(o, "idle-seconds"));
    }

    private static int nonNegative(Map<String, String> o, String name) {
        return (int) atLeast(o, name, 0, "0 or a positive integer");
    }

    private static long positive(Map<String, String> o, String name) {
        return atLeast(o, name, 1, "a positive integer");
    }

    private static long atLeast(Map<String, String> o, String name, long min, String what) {
        try {
            long v = Long.parseLong(o.get(name));
            if (v < min) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be " + what + ", got '" + o.get(name) + "'");
        }
    }
}
