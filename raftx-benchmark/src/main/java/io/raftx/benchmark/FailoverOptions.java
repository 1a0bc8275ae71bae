package io.raftx.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options of {@link FailoverMain}: {@code --name=value} pairs. Unknown names are an error listing the known ones. */
record FailoverOptions(List<Integer> sizes, List<LeaderFault> kinds, int faults, long stopMs, long settleMs,
                       long warmupSeconds, long warmupMaxSeconds, int inFlight, long probeMs, long retryMs,
                       int valueSize, int keys, int soakMinutes, Path dir) {

    static final String USAGE = """
            options (all optional):
              --nodes=3,5,7,9         cluster sizes, one cluster of node processes after the other; default 3
              --kinds=kill,stop       faults on the leader: kill (SIGKILL, then restart) and stop (SIGSTOP, then
                                      SIGCONT after --stop-ms); default both
              --faults=N              faults of each kind per size, default 50
              --stop-ms=MS            how long a stopped leader stays frozen, default 3000
              --settle-ms=MS          steady load between a healed cluster and the next fault, default 1000
              --warmup-seconds=S      steady load after the nodes start, before the first fault (so that it does
                                      not meet JVMs that started a moment ago), default 30; 0 for none
              --warmup-max-seconds=S  after those, the load goes on until the JIT compiler threads of the nodes and
                                      of this process use under 3 % of a core per process over 10 s (the JVMs reach
                                      steady state), at most this long; default 300, 0 for no such wait
              --inflight=N            closed-loop writes outstanding, spread over all nodes, default 32
              --probe-ms=MS           one more (open-loop) write every MS, default 20
              --retry-ms=MS           a closed-loop slot whose write failed waits MS before its next write,
                                      default 10 (a client's retry backoff)
              --value-size=BYTES      default 256
              --keys=N                distinct keys, default 1000
              --soak-minutes=N        instead of faults: N minutes of load at --inflight, counting leader changes
                                      and the heap after a full GC each minute; default 0 (no soak)
              --dir=PATH              data directories and node logs, default a new temp directory
            """;

    static FailoverOptions parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>(Map.ofEntries(Map.entry("nodes", "3"),
                Map.entry("kinds", "kill,stop"), Map.entry("faults", "50"), Map.entry("stop-ms", "3000"),
                Map.entry("settle-ms", "1000"), Map.entry("warmup-seconds", "30"),
                Map.entry("warmup-max-seconds", "300"), Map.entry("inflight", "32"),
                Map.entry("probe-ms", "20"), Map.entry("retry-ms", "10"),
                Map.entry("value-size", "256"), Map.entry("keys", "1000"), Map.entry("soak-minutes", "0"),
                Map.entry("dir", "")));
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (name == null || !o.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
            o.put(name, a.substring(eq + 1));
        }
        List<Integer> sizes = new ArrayList<>();
        for (String s : o.get("nodes").split(",")) {
            int n = (int) positive("nodes", s.trim());
            if (n < 3) {
                throw new IllegalArgumentException("--nodes: a failover needs at least 3 nodes, got " + n);
            }
            sizes.add(n);
        }
        List<LeaderFault> kinds = new ArrayList<>();
        for (String k : o.get("kinds").split(",")) {
            kinds.add(LeaderFault.of(k.trim()));
        }
        long soak = notNegative(o, "soak-minutes");
        return new FailoverOptions(sizes, kinds, (int) positive(o, "faults"), positive(o, "stop-ms"),
                positive(o, "settle-ms"), notNegative(o, "warmup-seconds"),
                notNegative(o, "warmup-max-seconds"), (int) positive(o, "inflight"),
                positive(o, "probe-ms"), positive(o, "retry-ms"),
                (int) positive(o, "value-size"), (int) positive(o, "keys"), (int) soak,
                o.get("dir").isEmpty() ? null : Path.of(o.get("dir")));
    }

    private static long notNegative(Map<String, String> o, String name) {
        return atLeast(name, o.get(name), 0, "0 or more");
    }

    private static long positive(Map<String, String> o, String name) {
        return positive(name, o.get(name));
    }

    private static long positive(String name, String value) {
        return atLeast(name, value, 1, "a positive integer");
    }

    private static long atLeast(String name, String value, long min, String what) {
        try {
            long v = Long.parseLong(value);
            if (v < min) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be " + what + ", got '" + value + "'");
        }
    }
}
