package io.raftx.sim;

import org.junit.jupiter.api.Test;

/**
 * Randomized, seeded runs in which the membership keeps changing (learners added and promoted once caught up, voters
 * and the leader removed, one change at a time) while messages are dropped and nodes crash, with snapshots every few
 * entries, leadership transfers and ReadIndex, follower and lease reads mixed in. Besides Raft's invariants, the
 * checker verifies the single-server change rules and that no read returns a state older than a completed write.
 * {@code -Draftx.sim.seeds=N} runs more seeds, {@code -Draftx.sim.seed=S} replays one.
 */
class MembershipChurnSimulationTest {

    @Test
    void membershipChangesUnderFaultsKeepRaftSafeAndLive() {
        new SeedSweep("MembershipChurnSimulationTest", ChaosScenario::pickWithChurn).runAll();
    }
}
