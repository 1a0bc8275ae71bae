package io.raftx.sim;

import org.junit.jupiter.api.Test;

/**
 * Randomized, seeded runs of the whole protocol under network faults, crashes and (in a quarter of the seeds)
 * membership changes, with the invariants checked after every step, then a liveness check once everything is
 * healed. {@code -Draftx.sim.seeds=N} runs more seeds, {@code -Draftx.sim.seed=S} replays one.
 */
class SimulationTest {

    /** After healing, a leader must appear and a proposal commit everywhere within these many ticks each. */
    static final int LIVENESS_TICKS = 300;

    @Test
    void randomSeedsKeepRaftSafeAndLive() {
        new SeedSweep("SimulationTest", ChaosScenario::pick).runAll();
    }
}
