package io.raftx.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Randomized, seeded runs of the whole protocol under network faults and crashes, with the invariants checked after
 * every step, then a liveness check once everything is healed. All seeds run; every failing seed is reported with
 * its replay command, then the test fails.
 */
class SimulationTest {

    /** After healing, a leader must appear and a proposal commit everywhere within these many ticks each. */
    static final int LIVENESS_TICKS = 300;

    @Test
    void randomSeedsKeepRaftSafeAndLive() {
        List<Long> seeds = seeds();
        SimStats total = new SimStats();
        FaultMixCounter mix = new FaultMixCounter();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : seeds) {
            try {
                ChaosScenario scenario = ChaosScenario.pick(new Random(seed));
                mix.count(scenario);
                if (seeds.size() == 1) {
                    System.out.println("seed " + seed + ": " + scenario.describe());
                }
                total.add(run(seed));
            } catch (Throwable t) {
                String line = "SIM FAILURE seed=" + seed + " (replay: mvn -pl raftx-core test -Dtest=SimulationTest"
                        + " -Draftx.sim.seed=" + seed + ")";
                System.out.println(line + "\n" + t.getMessage());
                if (seeds.size() == 1) {
                    t.printStackTrace(System.out);
                }
                failures.add(line + ": " + firstLine(t));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "SIM SUMMARY: %d seeds in %.1f s, %d failed%n  %s%n  fault mix: %s%n",
                seeds.size(), seconds, failures.size(), total, mix);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + seeds.size() + " seeds failed:\n" + String.join("\n", failures));
        }
    }

    /** One seed: chaos with client load, then heal and require a leader and a commit on every node. */
    static SimStats run(long seed) {
        Random random = new Random(seed);
        ChaosScenario scenario = ChaosScenario.pick(random);
        SimCluster cluster = SimCluster.builder(seed).random(random).nodes(scenario.size())
                .faults(scenario.faults()).config(scenario.config())
                .traceSize(Integer.getInteger("raftx.sim.trace", 30)).build();
        cluster.client().startLoad(scenario.clientIntervalUnits(), scenario.maxBurst());
        cluster.startNemesis();
        cluster.runSteps(scenario.chaosSteps());

        cluster.client().stopLoad();
        cluster.stopNemesisAndHeal();
        cluster.awaitUntil(() -> cluster.stableLeader() != null, LIVENESS_TICKS, "a leader after healing");
        Proposal last = cluster.proposeUntilCommitted(LIVENESS_TICKS);
        cluster.awaitAppliedEverywhere(last.index(), LIVENESS_TICKS);
        cluster.checkFinal();
        return cluster.stats();
    }

    private static List<Long> seeds() {
        String one = System.getProperty("raftx.sim.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        int n = Integer.getInteger("raftx.sim.seeds", 200);
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** How many seeds exercised each fault family, so a summary shows what was actually covered. */
    private static final class FaultMixCounter {
        int drop;
        int dup;
        int slow;
        int partition;
        int oneWay;
        int crash;
        int tuned;
        int[] sizes = new int[8];

        void count(ChaosScenario s) {
            FaultPlan f = s.faults();
            drop += f.dropRate() > 0 ? 1 : 0;
            dup += f.duplicateRate() > 0 ? 1 : 0;
            slow += f.slowRate() > 0 ? 1 : 0;
            partition += f.partitionRate() > 0 ? 1 : 0;
            oneWay += f.oneWayRate() > 0 ? 1 : 0;
            crash += f.crashRate() > 0 ? 1 : 0;
            tuned += s.tuning() != null ? 1 : 0;
            sizes[s.size()]++;
        }

        @Override
        public String toString() {
            return "seeds with drops=" + drop + " duplicates=" + dup + " slow/reorder=" + slow + " partitions="
                    + partition + " one-way=" + oneWay + " crashes=" + crash + " non-default-config=" + tuned + "; sizes 3/5/7 = " + sizes[3] + "/"
                    + sizes[5] + "/" + sizes[7];
        }
    }
}
