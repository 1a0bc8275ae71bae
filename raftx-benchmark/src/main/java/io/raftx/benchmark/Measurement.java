package io.raftx.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One system's figures from one round. For load modes: throughput, latency percentiles, errors and the CPU the
 * server processes used per operation (NaN where it cannot be told, e.g. in-process); for {@code idle}: the CPU
 * each server process used, in percent of one core.
 */
record Measurement(String mode, double opsPerSecond, double p50Ms, double p99Ms, long errors, double cpuMsPerOp,
                   double clientCpuMsPerOp, double idleCpuPercentPerNode) {

    /** {@code clientCpuMsPerOp}: this process's CPU per operation (the client's; it shares the machine). */
    static Measurement of(ClosedLoopLoad.Result r, double cpuMsPerOp, double clientCpuMsPerOp) {
        return new Measurement(r.mode(), r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors(), cpuMsPerOp,
                clientCpuMsPerOp, Double.NaN);
    }

    static Measurement idle(double cpuPercentPerNode) {
        return new Measurement("idle", Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                cpuPercentPerNode);
    }

    String line() {
        if (mode.equals("idle")) {
            return String.format(Locale.ROOT, "mode=idle cpu_pct_per_node=%.2f", idleCpuPercentPerNode);
        }
        return String.format(Locale.ROOT, "mode=%s ops/s=%.0f p50=%.2fms p99=%.2fms errors=%d cpu_ms_per_op=%.3f"
                        + " client_cpu_ms_per_op=%.3f", mode, opsPerSecond, p50Ms, p99Ms, errors, cpuMsPerOp,
                clientCpuMsPerOp);
    }

    /** RaftX relative to etcd: above 1 means RaftX is faster (ops/s) or slower (latency, CPU). */
    static String ratioLine(Measurement raftx, Measurement etcd) {
        if (raftx.mode.equals("idle")) {
            return String.format(Locale.ROOT, "ratio raftx/etcd idle_cpu=%.2f",
                    raftx.idleCpuPercentPerNode / etcd.idleCpuPercentPerNode);
        }
        return String.format(Locale.ROOT, "ratio raftx/etcd ops/s=%.2f p50=%.2f cpu_ms_per_op=%.2f",
                raftx.opsPerSecond / etcd.opsPerSecond, raftx.p50Ms / etcd.p50Ms, raftx.cpuMsPerOp / etcd.cpuMsPerOp);
    }

    /** The per-figure median over rounds (each figure's own median, as rounds are noisy independently). */
    static Measurement median(List<Measurement> rounds) {
        Measurement first = rounds.get(0);
        return new Measurement(first.mode, median(rounds, Measurement::opsPerSecond), median(rounds, Measurement::p50Ms),
                median(rounds, Measurement::p99Ms), (long) median(rounds, m -> m.errors),
                median(rounds, Measurement::cpuMsPerOp), median(rounds, Measurement::clientCpuMsPerOp),
                median(rounds, Measurement::idleCpuPercentPerNode));
    }

    private static double median(List<Measurement> rounds, ToDoubleFunction<Measurement> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    @Override
    public String toString() {
        return line();
    }
}
