package io.raftx.node;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times each event-loop pass by phase and logs a WARN when a pass takes longer than {@link #SLOW_PASS_MS}: while
 * the loop is stuck, this node answers no heartbeat, vote or append, so a slow pass on a follower can cost the
 * cluster an election round and on the leader every write's latency. The line says where the time went (running
 * the queued inputs, the group commit's write and fsync, applying, the snapshot policy, the rest) and how much of
 * the pass the JVM's stop-the-world collections took: a pause counts in whichever phase the loop was in, and on a
 * loaded machine GC pauses are the most common cause of a slow pass. At most one line per second. Loop thread only.
 */
final class LoopPassTimer {

    static final long SLOW_PASS_MS = 100;

    enum Phase { INPUTS, PERSIST, APPLY, SNAPSHOT, OTHER }

    private static final Logger log = LoggerFactory.getLogger(LoopPassTimer.class);
    private static final long SLOW_PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(SLOW_PASS_MS);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String nodeId;
    private final LongSupplier nanoClock;
    /** Milliseconds the JVM has spent in stop-the-world collections since it started. */
    private final LongSupplier gcPauseMillis;
    private final long[] phaseNanos = new long[Phase.values().length];
    private long passStart;
    private long gcAtStart;
    private long lastMark;
    private long lastLogged;

    LoopPassTimer(String nodeId) {
        this(nodeId, System::nanoTime, stopTheWorldCollectionMillis());
    }

    LoopPassTimer(String nodeId, LongSupplier nanoClock, LongSupplier gcPauseMillis) {
        this.nodeId = nodeId;
        this.nanoClock = nanoClock;
        this.gcPauseMillis = gcPauseMillis;
        this.lastLogged = nanoClock.getAsLong() - LOG_INTERVAL_NANOS;
    }

    /**
     * The accumulated time of this JVM's collectors that stop the application (G1's young and full collections, the
     * serial and parallel collectors, ZGC's and Shenandoah's pauses); the beans of concurrent cycles are left out,
     * since their time runs beside the application. A counter read per pass: tens of nanoseconds.
     */
    static LongSupplier stopTheWorldCollectionMillis() {
        List<GarbageCollectorMXBean> pausing = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(b -> stopsTheWorld(b.getName()))
                .toList();
        return () -> {
            long sum = 0;
            for (GarbageCollectorMXBean b : pausing) {
                sum += Math.max(0, b.getCollectionTime());
            }
            return sum;
        };
    }

    /** By the collector bean's name: ZGC and Shenandoah name their concurrent beans "Cycles", G1 "Concurrent GC". */
    static boolean stopsTheWorld(String collectorName) {
        return !collectorName.contains("Cycles") && !collectorName.contains("Concurrent");
    }

    void start() {
        passStart = nanoClock.getAsLong();
        lastMark = passStart;
        gcAtStart = gcPauseMillis.getAsLong();
    }

    /** The time since the previous mark (or the start) went to {@code phase}. */
    void mark(Phase phase) {
        long now = nanoClock.getAsLong();
        phaseNanos[phase.ordinal()] += now - lastMark;
        lastMark = now;
    }

    /** Ends the pass that ran {@code tasks} queued inputs; returns the line it logged, or null. */
    String end(int tasks) {
        mark(Phase.OTHER);
        long took = lastMark - passStart;
        String line = null;
        if (took > SLOW_PASS_NANOS && lastMark - lastLogged >= LOG_INTERVAL_NANOS) {
            lastLogged = lastMark;
            long gc = Math.min(millis(took), gcPauseMillis.getAsLong() - gcAtStart);
            line = String.format("node %s: an event loop pass took %d ms (inputs %d ms for %d tasks, persist %d ms, "
                    + "apply %d ms, snapshot %d ms, other %d ms; GC pauses %d ms of it); meanwhile this node answered "
                    + "no peer", nodeId, millis(took), millis(phase(Phase.INPUTS)), tasks,
                    millis(phase(Phase.PERSIST)), millis(phase(Phase.APPLY)), millis(phase(Phase.SNAPSHOT)),
                    millis(phase(Phase.OTHER)), gc);
            log.warn(line);
        }
        Arrays.fill(phaseNanos, 0);
        return line;
    }

    private long phase(Phase phase) {
        return phaseNanos[phase.ordinal()];
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
