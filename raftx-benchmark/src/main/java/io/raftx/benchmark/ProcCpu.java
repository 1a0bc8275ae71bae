package io.raftx.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (user + system, all threads), so a benchmark can charge the
 * servers' CPU to the operations they served whatever else the machine is doing.
 */
final class ProcCpu {

    /** Clock ticks per second of /proc's counters; 100 on every Linux kernel configuration in use. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** Total CPU milliseconds used so far by the given processes; processes that have exited count 0. */
    static long millis(List<Process> processes) {
        long ticks = 0;
        for (Process p : processes) {
            ticks += ticks(p.pid());
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** CPU milliseconds this process (the benchmark's client) has used so far. */
    static long ownMillis() {
        return ticks(ProcessHandle.current().pid()) * 1000 / TICKS_PER_SECOND;
    }

    static long ticks(long pid) {
        return statTicks(Path.of("/proc/" + pid + "/stat"));
    }

    /**
     * User + system clock ticks from a {@code stat} file of /proc, a process's or one thread's
     * ({@code /proc/<pid>/task/<tid>/stat}); 0 when it is gone.
     */
    static long statTicks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException e) {
            return 0;
        }
    }
}
