package io.raftx.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Faults the current leader of a running cluster over and over and times, for each fault, how long until a new
 * leader is known to a majority of the nodes and until the first write started after the fault is acknowledged.
 * Before each fault the cluster must be whole again: every node answering, all naming one leader and caught up.
 */
final class FailoverTrials {

    /** A trial that sees no new leader or no acknowledged write within this long records it as missing. */
    private static final Duration TRIAL_LIMIT = Duration.ofSeconds(30);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Duration HEAL_LIMIT = Duration.ofSeconds(120);

    private final RaftxProcessCluster cluster;
    private final NodeStatusPoller status;
    private final SteadyWriteLoad load;
    private final FailoverOptions options;

    FailoverTrials(RaftxProcessCluster cluster, NodeStatusPoller status, SteadyWriteLoad load, FailoverOptions options) {
        this.cluster = cluster;
        this.status = status;
        this.load = load;
        this.options = options;
    }

    /** Runs {@code options.faults()} trials of {@code fault}; returns (new leader, first ack) durations. */
    Durations[] run(LeaderFault fault) throws IOException, InterruptedException {
        Durations toLeader = new Durations();
        Durations toAck = new Durations();
        for (int i = 1; i <= options.faults(); i++) {
            NodeStatusPoller.Leader old = awaitWholeCluster();
            Thread.sleep(options.settleMs());
            Process victim = cluster.process(old.id());
            long youngestSurvivor = youngestAgeSeconds(victim);
            List<Long> thresholds = status.followersSilenceThresholdsMs(old.id());
            status.fast();
            // Timed from when the signal took effect (LeaderFault.inflict): on a loaded machine starting the kill
            // command takes long, and writes the old leader acknowledged meanwhile must not count.
            long faultAt = fault.inflict(victim, load::watchFrom);
            // to find the fault in the node logs' wall-clock times
            LocalTime faultClock = LocalTime.now().minusNanos(System.nanoTime() - faultAt);
            long leaderAt = 0;
            long deadline = faultAt + TRIAL_LIMIT.toNanos();
            long resumeAt = faultAt + options.stopMs() * 1_000_000L;
            boolean resumed = fault != LeaderFault.STOP;
            while (System.nanoTime() < deadline && (leaderAt == 0 || load.firstAckAfterWatch() == Long.MAX_VALUE)) {
                NodeStatusPoller.Leader now = status.leaderKnownToMajority(faultAt);
                if (leaderAt == 0 && now != null && now.term() > old.term()) {
                    leaderAt = System.nanoTime();
                    status.slow();
                }
                if (!resumed && System.nanoTime() >= resumeAt) {
                    LeaderFault.resume(victim); // a pause longer than the time to fail over is not measured further
                    resumed = true;
                }
                Thread.sleep(2);
            }
            status.slow();
            long ackAt = load.firstAckAfterWatch();
            record(toLeader, faultAt, leaderAt == 0 ? Long.MAX_VALUE : leaderAt);
            record(toAck, faultAt, ackAt);
            System.out.printf("  %s %d/%d leader=%s term=%d -> new leader %s, first ack %s"
                            + " (youngest survivor %d s; followers' silence thresholds %s ms; at %s)%n",
                    fault.option(), i, options.faults(), old.id(), old.term(),
                    ms(faultAt, leaderAt == 0 ? Long.MAX_VALUE : leaderAt), ms(faultAt, ackAt), youngestSurvivor,
                    thresholds, CLOCK.format(faultClock));
            if (fault == LeaderFault.KILL) {
                cluster.start(old.id());
            } else if (!resumed) {
                Thread.sleep(Math.max(0, (resumeAt - System.nanoTime()) / 1_000_000));
                LeaderFault.resume(victim);
            }
        }
        return new Durations[] {toLeader, toAck};
    }

    /**
     * Seconds since the most recently started node other than {@code victim} started: a JVM a few seconds old is
     * still compiling its hot paths, which shows in the trials right after a restart.
     */
    private long youngestAgeSeconds(Process victim) {
        Instant now = Instant.now();
        return cluster.processes().stream().filter(p -> p != victim)
                .map(p -> p.info().startInstant().orElse(now))
                .mapToLong(started -> Duration.between(started, now).toSeconds())
                .min().orElse(0);
    }

    private static void record(Durations d, long from, long to) {
        if (to == Long.MAX_VALUE) {
            d.addMissing();
        } else {
            d.add((to - from) / 1e6);
        }
    }

    private static String ms(long from, long to) {
        return to == Long.MAX_VALUE ? "not seen" : String.format(java.util.Locale.ROOT, "%.0f ms", (to - from) / 1e6);
    }

    /** Waits until every node answers, names the same leader and has applied what was committed when we began. */
    NodeStatusPoller.Leader awaitWholeCluster() throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + HEAL_LIMIT.toNanos();
        long target = 0;
        while (System.nanoTime() < deadline) {
            NodeStatusPoller.Leader leader = status.leaderKnownToMajority(since);
            if (leader != null) {
                if (target == 0) {
                    target = status.highestCommit();
                }
                if (status.allFollow(leader, since, target)) {
                    return leader;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the cluster did not become whole (one leader, every node caught up) within "
                + HEAL_LIMIT + "; see the node logs in " + options.dir());
    }
}
