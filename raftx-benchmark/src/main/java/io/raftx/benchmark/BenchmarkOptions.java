package io.raftx.benchmark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options: {@code --name=value} pairs. Unknown names are an error listing the known ones. */
record BenchmarkOptions(String mode, int inFlight, long ops, int valueSize, int keys, int nodes, String system,
                        Path dir, long warmupOps) {

    static final String USAGE = """
            options (all optional):
              --mode=put|get|sget     put: durable writes; get: linearizable reads; sget: serializable (local) reads
              --inflight=N            operations outstanding at once (closed loop), default 256
              --ops=N                 operations measured, default 50000
              --warmup=N              operations run first and not measured, default ops/5
              --value-size=BYTES      default 256
              --keys=N                distinct keys, default 1000
              --nodes=N               cluster size, default 3
              --system=raftx|etcd|both  default both (etcd only where the etcd binary is installed)
              --dir=PATH              where data directories go, default a new temp directory
            """;

    static BenchmarkOptions parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("mode", "put", "inflight", "256", "ops", "50000",
                "value-size", "256", "keys", "1000", "nodes", "3", "system", "both", "dir", "", "warmup", ""));
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (name == null || !o.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
            o.put(name, a.substring(eq + 1));
        }
        String mode = o.get("mode");
        if (!mode.matches("put|get|sget")) {
            throw new IllegalArgumentException("--mode must be put, get or sget, got '" + mode + "'");
        }
        String system = o.get("system");
        if (!system.matches("raftx|etcd|both")) {
            throw new IllegalArgumentException("--system must be raftx, etcd or both, got '" + system + "'");
        }
        long ops = positive(o, "ops");
        return new BenchmarkOptions(mode, (int) positive(o, "inflight"), ops, (int) positive(o, "value-size"),
                (int) positive(o, "keys"), (int) positive(o, "nodes"), system,
                o.get("dir").isEmpty() ? null : Path.of(o.get("dir")),
                o.get("warmup").isEmpty() ? ops / 5 : Long.parseLong(o.get("warmup")));
    }

    private static long positive(Map<String, String> o, String name) {
        try {
            long v = Long.parseLong(o.get(name));
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + o.get(name) + "'");
        }
    }
}
