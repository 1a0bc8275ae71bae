package io.raftx.sim;

import java.util.Locale;
import java.util.Random;

/**
 * Which faults the simulated world injects and how often. Message faults are per message; the nemesis rates
 * ({@code partitionRate}, {@code oneWayRate}, {@code crashRate}) are chances per tick of starting a new outage.
 * Times are in simulation units ({@link SimCluster#TICK} units per tick).
 *
 * @param dropRate           chance a message is lost
 * @param duplicateRate      chance a message is delivered twice (each copy with its own delay)
 * @param minDelay           smallest network delay
 * @param maxDelay           largest ordinary network delay; random delays alone already reorder messages
 * @param slowRate           chance a message is held back by up to {@code maxSlowDelay} more units (reordering)
 * @param maxSlowDelay       longest extra hold-back of a slow message
 * @param partitionRate      chance per tick of splitting the cluster into 2-3 isolated groups (if none is active)
 * @param oneWayRate         chance per tick of blocking one direction of one link
 * @param crashRate          chance per tick of crashing a node
 * @param midReadyCrashShare share of crashes that happen inside the Ready contract (after eager send, after
 *                           persisting, after sending) rather than between inputs
 * @param voteCrashRate      chance that a node dies right after persisting a vote for another node, inside that
 *                           Ready, and comes back within a few units: the window where a lost vote would let it
 *                           vote twice in one term
 * @param campaignRate       chance per tick that one or two random nodes start an election at once (as timers
 *                           firing together under clock skew would): contested elections are otherwise rare
 * @param transferRate       chance per tick that the leader is asked to hand over to a random voter
 * @param compactionRate     chance per tick that a random node snapshots its state machine and compacts its log
 *                           (so lagging or restarted followers need snapshots from the leader)
 * @param maxOutageTicks     partitions and one-way blocks last 1..maxOutageTicks ticks; crashed nodes stay down
 *                           1 unit to maxOutageTicks ticks
 * @param churn              membership changes: learners added and promoted, voters (the leader too) removed
 * @param unreachableRate    {@link #NO_UNREACHABLE_REPORTS}: no transport reports; 0 or more: every crash is
 *                           reported to the other nodes as a refused/reset connection ({@code Raft.peerUnreachable}),
 *                           and at this chance per tick (while the nemesis runs) one or all followers are wrongly
 *                           told their live leader is unreachable
 * @param downReports        with reports on: a crashed peer that stays down is also reported down a round trip after
 *                           its reset ({@code Raft.peerDown}, the transport's refused probe), and half the false
 *                           reports say down
 * @param reportSpread       with reports on: each live node hears of a crash up to this many units later than the
 *                           others (0: all at once). A real transport notices a closed connection when its own event
 *                           loop gets to it: at nine node processes on two cores the followers' notices of one kill
 *                           spread over 50-150 ms, one to three ticks
 */
public record FaultPlan(double dropRate, double duplicateRate, int minDelay, int maxDelay, double slowRate,
                        int maxSlowDelay, double partitionRate, double oneWayRate, double crashRate,
                        double midReadyCrashShare, double voteCrashRate, double campaignRate,
                        double transferRate, double compactionRate, int maxOutageTicks, ChurnPlan churn,
                        double unreachableRate, boolean downReports, int reportSpread) {

    /** {@code unreachableRate} of a transport that reports nothing. */
    public static final double NO_UNREACHABLE_REPORTS = -1;

    public FaultPlan {
        if (minDelay < 1 || maxDelay < minDelay) {
            throw new IllegalArgumentException("need 1 <= minDelay <= maxDelay, got " + minDelay + ".." + maxDelay);
        }
        if (reportSpread < 0) {
            throw new IllegalArgumentException("reportSpread must be >= 0, got " + reportSpread);
        }
        if (maxOutageTicks < 1) {
            throw new IllegalArgumentException("maxOutageTicks must be >= 1");
        }
        churn = churn == null ? ChurnPlan.NONE : churn;
    }

    /** True if crashes are reported to the other nodes (and false reports may be made). */
    public boolean reportsUnreachable() {
        return unreachableRate >= 0;
    }

    public FaultPlan withChurn(ChurnPlan newChurn) {
        return new FaultPlan(dropRate, duplicateRate, minDelay, maxDelay, slowRate, maxSlowDelay, partitionRate,
                oneWayRate, crashRate, midReadyCrashShare, voteCrashRate, campaignRate, transferRate, compactionRate,
                maxOutageTicks, newChurn, unreachableRate, downReports, reportSpread);
    }

    /** The same plan with transport reports of crashed peers and {@code rate} false reports per tick. */
    public FaultPlan withUnreachableReports(double rate) {
        return new FaultPlan(dropRate, duplicateRate, minDelay, maxDelay, slowRate, maxSlowDelay, partitionRate,
                oneWayRate, crashRate, midReadyCrashShare, voteCrashRate, campaignRate, transferRate, compactionRate,
                maxOutageTicks, churn, rate, downReports, reportSpread);
    }

    /** The same plan with the reset reports only: no peer is ever reported down. */
    public FaultPlan withoutDownReports() {
        return new FaultPlan(dropRate, duplicateRate, minDelay, maxDelay, slowRate, maxSlowDelay, partitionRate,
                oneWayRate, crashRate, midReadyCrashShare, voteCrashRate, campaignRate, transferRate, compactionRate,
                maxOutageTicks, churn, unreachableRate, false, reportSpread);
    }

    /** The same plan with each node hearing of a crash up to {@code units} later than the others. */
    public FaultPlan withReportSpread(int units) {
        return new FaultPlan(dropRate, duplicateRate, minDelay, maxDelay, slowRate, maxSlowDelay, partitionRate,
                oneWayRate, crashRate, midReadyCrashShare, voteCrashRate, campaignRate, transferRate, compactionRate,
                maxOutageTicks, churn, unreachableRate, downReports, units);
    }

    /** A perfect network with a small random delay (1..3 units, well under a tick): still reorders a little. */
    public static FaultPlan smallDelay() {
        return new FaultPlan(0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, ChurnPlan.NONE, NO_UNREACHABLE_REPORTS, true,
                0);
    }

    /** A perfect network that keeps every link in order: every message takes exactly {@code delay} units. */
    public static FaultPlan inOrder(int delay) {
        return new FaultPlan(0, 0, delay, delay, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, ChurnPlan.NONE, NO_UNREACHABLE_REPORTS, true,
                0);
    }

    /**
     * An unreliable network in the style of MIT 6.5840's labrpc: {@code dropRate} of messages lost, delays of
     * 1..maxDelay units, and with {@code longReordering} one message in ten held back for up to 20 ticks.
     */
    public static FaultPlan unreliable(double dropRate, int maxDelay, boolean longReordering) {
        return new FaultPlan(dropRate, 0, 1, maxDelay, longReordering ? 0.1 : 0, longReordering ? 20 * SimCluster.TICK : 0,
                0, 0, 0, 0, 0, 0, 0, 0, 1, ChurnPlan.NONE, NO_UNREACHABLE_REPORTS, true,
                0);
    }

    /** Same as {@link #smallDelay()}; used when healing a chaotic run so liveness is judged on a sane network. */
    public static FaultPlan none() {
        return smallDelay();
    }

    /**
     * A random mix for one seed: every fault family is switched on for only some seeds, so calm and hostile runs
     * both occur and a failing seed usually points at one family.
     */
    public static FaultPlan randomMix(Random r) {
        double drop = r.nextInt(3) != 0 ? r.nextDouble() * 0.20 : 0;
        double dup = r.nextInt(3) == 0 ? r.nextDouble() * 0.10 : 0;
        int maxDelay = 2 + r.nextInt(8);
        boolean slow = r.nextInt(2) == 0;
        double partition = r.nextInt(2) == 0 ? 0.01 + r.nextDouble() * 0.07 : 0;
        double oneWay = r.nextInt(3) == 0 ? 0.01 + r.nextDouble() * 0.05 : 0;
        double crash = r.nextInt(3) != 0 ? 0.005 + r.nextDouble() * 0.04 : 0;
        double voteCrash = r.nextInt(3) == 0 ? r.nextDouble() * 0.3 : 0;
        double campaign = r.nextInt(3) == 0 ? r.nextDouble() * 0.1 : 0;
        double transfer = r.nextInt(3) == 0 ? r.nextDouble() * 0.05 : 0;
        double compaction = r.nextInt(2) == 0 ? r.nextDouble() * 0.2 : 0;
        double unreachable = r.nextInt(2) == 0 ? r.nextDouble() * 0.3 : NO_UNREACHABLE_REPORTS;
        return new FaultPlan(drop, dup, 1, maxDelay, slow ? r.nextDouble() * 0.2 : 0, slow ? 10 + r.nextInt(120) : 0,
                partition, oneWay, crash, r.nextDouble(), voteCrash, campaign, transfer, compaction, 3 + r.nextInt(40),
                ChurnPlan.NONE, unreachable, true, 0);
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "drop=%.0f%% dup=%.0f%% delay=%d..%d slow=%.0f%%(<=%d) partition=%.1f%%/t oneway=%.1f%%/t "
                        + "crash=%.1f%%/t (mid-ready %.0f%%) vote-crash=%.0f%% campaign=%.1f%%/t transfer=%.1f%%/t "
                        + "compaction=%.1f%%/t outage<=%dt unreachable-reports=%s %s",
                dropRate * 100, duplicateRate * 100, minDelay, maxDelay, slowRate * 100, maxSlowDelay,
                partitionRate * 100, oneWayRate * 100, crashRate * 100, midReadyCrashShare * 100, voteCrashRate * 100,
                campaignRate * 100, transferRate * 100, compactionRate * 100, maxOutageTicks,
                reportsUnreachable() ? String.format(Locale.ROOT, "crashes%s+%.1f%%/t", downReports ? "(+down)" : "",
                        unreachableRate * 100) : "off",
                churn.describe());
    }
}
