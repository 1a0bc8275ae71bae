package io.raftx.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU used by the HotSpot JIT compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*}) of some
 * processes, from {@code /proc/<pid>/task/<tid>/{comm,stat}}. A JVM under a new load keeps compiling for minutes (on
 * the 2-core development machine the three RaftX nodes' C2 threads took more CPU than their Raft loops for the first
 * two minutes of a put load), so a benchmark that wants steady-state figures waits until these threads go quiet.
 * Processes that are not JVMs (etcd) have no such threads and count 0.
 */
final class JitActivity {

    /** The JIT counts as quiet below this share of a core per process (compiler threads, over ~10 s of load). */
    static final double QUIET_PERCENT = 3.0;

    private JitActivity() {
    }

    /**
     * For a load that runs on other threads: measures the compiler threads of {@code pids} over 10-second windows
     * until they use under {@link #QUIET_PERCENT} of a core per process or {@code maxSeconds} have passed. Returns
     * the last window's figure, in percent of a core per process.
     */
    static double awaitQuiet(List<Long> pids, long maxSeconds) throws InterruptedException {
        long start = System.nanoTime();
        double percent;
        do {
            long t0 = System.nanoTime();
            long ticks0 = compilerTicks(pids);
            Thread.sleep(10_000);
            percent = percentOfCore(compilerTicks(pids) - ticks0, t0, pids.size());
        } while (percent >= QUIET_PERCENT && (System.nanoTime() - start) / 1e9 < maxSeconds);
        return percent;
    }

    /** {@code pids} and this process (the benchmark's own client compiles too). */
    static List<Long> withThisProcess(List<Long> pids) {
        List<Long> all = new ArrayList<>(pids);
        all.add(ProcessHandle.current().pid());
        return all;
    }

    /** How a warm-up ended, for its log line: the compilers' last figure and whether the time cap cut it short. */
    static String summary(double percent) {
        return String.format(Locale.ROOT, "JIT compilers at %.1f %% of a core per process at the end%s", percent,
                percent >= QUIET_PERCENT ? " (--warmup-max-seconds reached: not steady yet)" : "");
    }

    /** Compiler ticks used since {@code sinceNanos}, as percent of a core per process (100 ticks = 1 core-second). */
    static double percentOfCore(long ticks, long sinceNanos, int processes) {
        return ticks / ((System.nanoTime() - sinceNanos) / 1e9) / processes;
    }

    /** Clock ticks (1/100 s) the compiler threads of {@code pids} have used so far. */
    static long compilerTicks(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    ticks += compilerThreadTicks(task);
                }
            } catch (IOException e) {
                // the process exited or /proc is not there: nothing to count
            }
        }
        return ticks;
    }

    private static long compilerThreadTicks(Path task) {
        String comm;
        try {
            comm = Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return 0; // the thread ended between listing and reading
        }
        boolean compiler = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
        return compiler ? ProcCpu.statTicks(task.resolve("stat")) : 0;
    }
}
