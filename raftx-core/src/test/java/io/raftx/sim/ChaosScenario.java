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
                     int maxBurst) {

    /** Non-default settings for one seed (a null Tuning means the default RaftConfig). */
    record Tuning(boolean preVote, boolean checkQuorum, int electionTicks, int heartbeatTicks, int maxInflight,
                  int maxEntriesPerAppend) {

        static Tuning pick(Random r) {
            int election = 5 + r.nextInt(11);
            return new Tuning(r.nextBoolean(), r.nextBoolean(), election, 1 + r.nextInt(Math.min(3, election - 1)),
                    1 + r.nextInt(8), 1 + r.nextInt(16));
        }

        UnaryOperator<RaftConfig> apply() {
            return c -> c.withElection(electionTicks, heartbeatTicks, c.rankGapTicks(), c.jitterTicks())
                    .withPreVoteAndCheckQuorum(preVote, checkQuorum)
                    .withReplication(maxInflight, maxEntriesPerAppend, c.maxBytesPerAppend(), c.maxUncommittedEntries());
        }
    }

    static ChaosScenario pick(Random r) {
        int size = new int[] {3, 5, 7}[r.nextInt(3)];
        FaultPlan faults = FaultPlan.randomMix(r);
        Tuning tuning = r.nextBoolean() ? Tuning.pick(r) : null;
        return new ChaosScenario(size, faults, tuning, 2000 + r.nextInt(4000), 5 + r.nextInt(40), 1 + r.nextInt(5));
    }

    UnaryOperator<RaftConfig> config() {
        return tuning == null ? c -> c : tuning.apply();
    }

    String describe() {
        return size + " nodes, " + chaosSteps + " chaos steps, client every ~" + clientIntervalUnits
                + " units x<=" + maxBurst + ", " + faults.describe() + ", config " + (tuning == null ? "default" : tuning);
    }
}
