package io.raftx.sim;

import io.raftx.raft.RaftConfig;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * What one seed of {@link SimulationTest} does: cluster size, fault mix, Raft settings, how long the chaos lasts and
 * how hard the client pushes. Drawn from the run's own random stream so the seed alone determines it.
 *
 * <p>Half the seeds use the default config (what production runs); the other half vary it, because safety must
 * not depend on tuning: without pre-vote and CheckQuorum elections are contested far more often, and tiny
 * inflight windows and batches exercise back-pressure and probing.
 */
record ChaosScenario(int size, FaultPlan faults, Tuning tuning, int chaosSteps, int clientIntervalUnits,
                     int maxBurst, AutoSnapshot autoSnapshot, LeaseMix leases) {

    /**
     * Which nodes serve lease reads: all, none or about half (a node's setting decides what its messages ask of
     * followers told it is unreachable, so mixed clusters must be as safe as uniform ones).
     */
    record LeaseMix(double share, long salt) {

        static LeaseMix pick(Random r) {
            return new LeaseMix(new double[] {0, 0.5, 1}[r.nextInt(3)], r.nextLong());
        }

        boolean leases(String nodeId) {
            return share >= 1 || (share > 0 && new Random(salt ^ nodeId.hashCode()).nextDouble() < share);
        }

        @Override
        public String toString() {
            return share == 0 ? "no lease reads" : share >= 1 ? "lease reads everywhere" : "lease reads on some nodes";
        }
    }

    /**
     * Non-default settings for one seed (a null Tuning means the default RaftConfig); {@code lateTickPercent} of the
     * nodes' ticks come late ({@code Raft#tickLate}, as after a pause of a node's process).
     */
    record Tuning(boolean preVote, boolean checkQuorum, int electionTicks, int heartbeatTicks, int maxInflight,
                  int maxEntriesPerAppend, int silenceWindowTicks, int lateTickPercent) {

        /** Silence windows short enough for a seed's few hundred ticks to reach the learnt thresholds. */
        static Tuning pick(Random r) {
            int election = 5 + r.nextInt(11);
            return new Tuning(r.nextBoolean(), r.nextBoolean(), election, 1 + r.nextInt(Math.min(3, election - 1)),
                    1 + r.nextInt(8), 1 + r.nextInt(16), 5 + r.nextInt(100), r.nextBoolean() ? 0 : 1 + r.nextInt(50));
        }

        UnaryOperator<RaftConfig> apply() {
            return c -> withShortSilenceWindow(c.withElection(electionTicks, heartbeatTicks, c.rankGapTicks(),
                            c.jitterTicks()))
                    .withPreVoteAndCheckQuorum(preVote, checkQuorum)
                    .withReplication(maxInflight, maxEntriesPerAppend, c.maxBytesPerAppend(), c.maxUncommittedEntries());
        }

        private RaftConfig withShortSilenceWindow(RaftConfig c) {
            return c.withSilence(c.silentLeaderTicks(), silenceWindowTicks);
        }
    }

    /**
     * A scenario for {@link SimulationTest}: any size, fault mix and tuning; a quarter of the seeds also change the
     * membership, and a third snapshot on their own every few entries.
     */
    static ChaosScenario pick(Random r) {
        int size = new int[] {3, 5, 7}[r.nextInt(3)];
        FaultPlan faults = FaultPlan.randomMix(r);
        Tuning tuning = r.nextBoolean() ? Tuning.pick(r) : null;
        int steps = 2000 + r.nextInt(4000);
        int interval = 5 + r.nextInt(40);
        int burst = 1 + r.nextInt(5);
        if (r.nextInt(4) == 0) {
            faults = faults.withChurn(ChurnPlan.random(r));
        }
        AutoSnapshot snapshots = r.nextInt(3) == 0 ? new AutoSnapshot(2 + r.nextInt(30), r.nextInt(10)) : null;
        return new ChaosScenario(size, faults, tuning, steps, interval, burst, snapshots, LeaseMix.pick(r));
    }

    /**
     * A scenario for {@link MembershipChurnSimulationTest}: membership changes all along, while messages are dropped
     * and nodes crash, with snapshots every few entries, leadership transfers and reads of every kind.
     */
    static ChaosScenario pickWithChurn(Random r) {
        int size = new int[] {1, 3, 3, 5}[r.nextInt(4)];
        FaultPlan mix = FaultPlan.randomMix(r);
        FaultPlan faults = new FaultPlan(Math.max(mix.dropRate(), 0.01 + r.nextDouble() * 0.1), mix.duplicateRate(),
                mix.minDelay(), mix.maxDelay(), mix.slowRate(), mix.maxSlowDelay(), mix.partitionRate(),
                mix.oneWayRate(), Math.max(mix.crashRate(), 0.005 + r.nextDouble() * 0.03), mix.midReadyCrashShare(),
                mix.voteCrashRate(), mix.campaignRate(), Math.max(mix.transferRate(), r.nextDouble() * 0.03),
                mix.compactionRate(), mix.maxOutageTicks(), ChurnPlan.random(r), mix.unreachableRate(), true,
                mix.reportSpread());
        Tuning tuning = r.nextInt(3) == 0 ? Tuning.pick(r) : null;
        AutoSnapshot snapshots = new AutoSnapshot(2 + r.nextInt(9), r.nextInt(6));
        return new ChaosScenario(size, faults, tuning, 3000 + r.nextInt(5000), 5 + r.nextInt(30), 1 + r.nextInt(4),
                snapshots, LeaseMix.pick(r));
    }

    UnaryOperator<RaftConfig> config() {
        UnaryOperator<RaftConfig> tuned = tuning == null ? c -> c : tuning.apply();
        return c -> tuned.apply(c).withLeaseReads(leases.leases(c.id()));
    }

    String describe() {
        return size + " nodes, " + chaosSteps + " chaos steps, client every ~" + clientIntervalUnits
                + " units x<=" + maxBurst + ", " + faults.describe() + ", config " + (tuning == null ? "default" : tuning)
                + ", " + (autoSnapshot == null ? "no automatic snapshots" : autoSnapshot) + ", " + leases;
    }
}
