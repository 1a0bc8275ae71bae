package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The randomized volatile simulator over many seeds ({@code -Draftx.sim.seeds=N}, default 200). A failing seed
 * prints a replay line; {@code -Draftx.sim.seed=S} runs only that seed.
 */
class VolatileSimulationTest {

    @Test
    void randomFaultsNeverBreakTheVolatileInvariants() {
        String one = System.getProperty("raftx.sim.seed", "").trim();
        long first = one.isEmpty() ? 1 : Long.parseLong(one);
        long count = one.isEmpty() ? Long.getLong("raftx.sim.seeds", 200) : 1;
        long snapshots = 0;
        long acked = 0;
        long leaderChanges = 0;
        long crashes = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            VolatileSimulation sim = new VolatileSimulation(seed);
            try {
                sim.run();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("Volatile simulation failed; replay with: mvn -pl raftx-core test "
                        + "-Dtest=VolatileSimulationTest -Draftx.sim.seed=" + seed);
                System.err.println(sim.cluster().describe());
                int from = Math.max(0, sim.cluster().trace.size() - 20);
                sim.cluster().trace.subList(from, sim.cluster().trace.size()).forEach(t -> System.err.println("  " + t));
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
            VolatileCluster c = sim.cluster();
            snapshots += c.snapshotsSent;
            acked += c.outcomes.values().stream().filter(o -> o.status() == WriteOutcome.Status.COMMITTED).count();
            leaderChanges += c.raftTerm;
            crashes += c.trace.stream().filter(t -> t.startsWith("crash")).count();
        }
        System.out.printf("volatile simulation: %d seeds, %d acknowledged writes, %d leader terms, %d crashes, "
                + "%d snapshots sent, %.1f s%n", count, acked, leaderChanges, crashes, snapshots,
                (System.nanoTime() - started) / 1e9);
        assertThat(count).isPositive();
    }
}
