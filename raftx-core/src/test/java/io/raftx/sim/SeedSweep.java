package io.raftx.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * Runs one randomized chaos test over many seeds: {@code -Draftx.sim.seed=S} replays one seed (printing its
 * scenario), {@code -Draftx.sim.seeds=N} runs seeds 1..N (200 by default). Every seed runs; each failing seed is
 * printed with its replay command, then the test fails listing them all. A summary gives the time, the fault mix and
 * what happened, summed over all seeds.
 */
final class SeedSweep {

    private final String testClass;
    private final Function<Random, ChaosScenario> picker;

    SeedSweep(String testClass, Function<Random, ChaosScenario> picker) {
        this.testClass = testClass;
        this.picker = picker;
    }

    void runAll() {
        List<Long> seeds = seeds();
        SimStats total = new SimStats();
        FaultMix mix = new FaultMix();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : seeds) {
            try {
                ChaosScenario scenario = picker.apply(randomFor(seed));
                mix.count(scenario);
                if (seeds.size() == 1) {
                    System.out.println("seed " + seed + ": " + scenario.describe());
                }
                total.add(run(seed));
            } catch (Throwable t) {
                String line = "SIM FAILURE seed=" + seed + " (replay: mvn -pl raftx-core test -Dtest=" + testClass
                        + " -Draftx.sim.seed=" + seed + ")";
                System.out.println(line + "\n" + t.getMessage());
                if (seeds.size() == 1) {
                    t.printStackTrace(System.out);
                }
                failures.add(line + ": " + firstLine(t));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "SIM SUMMARY %s: %d seeds in %.1f s, %d failed%n  %s%n  fault mix: %s%n",
                testClass, seeds.size(), seconds, failures.size(), total, mix);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + seeds.size() + " seeds failed:\n" + String.join("\n", failures));
        }
    }

    /**
     * One seed: chaos with client load, then heal, shut down the nodes outside the configuration, and require a leader
     * and a commit applied on every remaining node.
     */
    SimStats run(long seed) {
        Random random = randomFor(seed);
        ChaosScenario scenario = picker.apply(random);
        SimCluster cluster = SimCluster.builder(seed).random(random).nodes(scenario.size())
                .faults(scenario.faults()).config(scenario.config()).autoSnapshot(scenario.autoSnapshot())
                .lateTicks(scenario.tuning() == null ? 0 : scenario.tuning().lateTickPercent())
                .stopOnEmptyReady(scenario.faults().churn().selfRemovalShare() > 0) // past the known endless Readies
                .traceSize(Integer.getInteger("raftx.sim.trace", 30)).build();
        cluster.client().startLoad(scenario.clientIntervalUnits(), scenario.maxBurst());
        cluster.startNemesis();
        cluster.runSteps(scenario.chaosSteps());

        cluster.client().stopLoad();
        cluster.stopNemesisAndHeal();
        cluster.awaitUntil(() -> cluster.stableLeader() != null, SimulationTest.LIVENESS_TICKS, "a leader after healing");
        cluster.retireNonMembers(SimulationTest.LIVENESS_TICKS);
        Proposal last = cluster.proposeUntilCommitted(SimulationTest.LIVENESS_TICKS);
        cluster.awaitAppliedEverywhere(last.index(), SimulationTest.LIVENESS_TICKS);
        cluster.checkFinal();
        return cluster.stats();
    }

    /**
     * The run's random stream. The seed is scrambled first: java.util.Random's first draws are nearly the same for
     * neighbouring small seeds, so seeds 1..N would otherwise start alike (all the same cluster size, for one).
     */
    static Random randomFor(long seed) {
        return new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
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
    private static final class FaultMix {
        int drop;
        int dup;
        int slow;
        int partition;
        int oneWay;
        int crash;
        int voteCrash;
        int campaign;
        int transfer;
        int compaction;
        int unreachable;
        int churn;
        int selfRemoval;
        int autoSnapshot;
        int tuned;
        int allLeases;
        int someLeases;
        int[] sizes = new int[8];

        void count(ChaosScenario s) {
            FaultPlan f = s.faults();
            drop += f.dropRate() > 0 ? 1 : 0;
            dup += f.duplicateRate() > 0 ? 1 : 0;
            slow += f.slowRate() > 0 ? 1 : 0;
            partition += f.partitionRate() > 0 ? 1 : 0;
            oneWay += f.oneWayRate() > 0 ? 1 : 0;
            crash += f.crashRate() > 0 ? 1 : 0;
            voteCrash += f.voteCrashRate() > 0 ? 1 : 0;
            campaign += f.campaignRate() > 0 ? 1 : 0;
            transfer += f.transferRate() > 0 ? 1 : 0;
            compaction += f.compactionRate() > 0 ? 1 : 0;
            unreachable += f.reportsUnreachable() ? 1 : 0;
            churn += f.churn().active() ? 1 : 0;
            selfRemoval += f.churn().selfRemovalShare() > 0 ? 1 : 0;
            autoSnapshot += s.autoSnapshot() != null ? 1 : 0;
            tuned += s.tuning() != null ? 1 : 0;
            allLeases += s.leases().share() >= 1 ? 1 : 0;
            someLeases += s.leases().share() > 0 && s.leases().share() < 1 ? 1 : 0;
            sizes[s.size()]++;
        }

        @Override
        public String toString() {
            return "seeds with drops=" + drop + " duplicates=" + dup + " slow/reorder=" + slow + " partitions="
                    + partition + " one-way=" + oneWay + " crashes=" + crash + " vote-crashes=" + voteCrash
                    + " forced-campaigns=" + campaign + " transfers=" + transfer + " random-compactions=" + compaction
                    + " unreachable-reports=" + unreachable
                    + " membership-churn=" + churn + " (leader self-removal " + selfRemoval + ") auto-snapshots="
                    + autoSnapshot + " non-default-config=" + tuned + " lease-reads all/some=" + allLeases + "/" + someLeases
                    + "; sizes 1/3/5/7 = " + sizes[1] + "/" + sizes[3]
                    + "/" + sizes[5] + "/" + sizes[7];
        }
    }
}
