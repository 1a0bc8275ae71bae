package io.raftx.benchmark;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** The faults the failover benchmark inflicts on the leader's process, and how each is undone. */
enum LeaderFault {

    /** SIGKILL: the process dies and the kernel closes its connections; undone by starting it again. */
    KILL("kill"),
    /** SIGSTOP: the process freezes with its connections open (as in a long GC pause); undone by SIGCONT. */
    STOP("stop");

    private final String option;

    LeaderFault(String option) {
        this.option = option;
    }

    String option() {
        return option;
    }

    static LeaderFault of(String option) {
        for (LeaderFault f : values()) {
            if (f.option.equals(option)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + option + "': use kill or stop");
    }

    /**
     * Sends the signal that starts this fault and returns the {@link System#nanoTime()} at which it took effect, after
     * telling {@code tookEffect} that time. A SIGKILL takes effect when the call that sends it returns (the kernel
     * runs none of the process's code after that); the process is then reaped before this returns, which on a loaded
     * machine took up to 270 ms more, and the fault's time used to be taken only then (followers had noticed the kill
     * before it). A SIGSTOP is sent by the {@code kill} command and has taken effect when the command exits.
     */
    long inflict(Process p, LongConsumer tookEffect) throws IOException, InterruptedException {
        if (this == KILL) {
            p.destroyForcibly(); // SIGKILL on Linux, sent by this call
        } else {
            signal(p, "STOP");
        }
        long at = System.nanoTime();
        tookEffect.accept(at);
        if (this == KILL && !p.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + p.pid() + " survived SIGKILL");
        }
        return at;
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -s " + signal + " " + p.pid() + " failed");
        }
    }

    /** Ends a STOP (SIGCONT); a KILL is undone by restarting the node, which the caller does. */
    static void resume(Process p) throws IOException, InterruptedException {
        signal(p, "CONT");
    }
}
