package io.raftx.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The volatile keyspace on real Raft cores while the membership keeps changing (learners added and promoted, voters
 * and leaders removed, one change at a time), with message loss, duplication, reordering, partitions, leadership
 * transfers, forced campaigns and crashes that lose volatile memory (kept inside the volatile failure model by
 * {@link VolatileSidecar}). Volatile writes and strong reads run all along. After healing, every voter must converge
 * to the leader's volatile state with every acknowledged write in it, no node may have rolled back, and Raft's own
 * invariants hold throughout. {@code -Draftx.sim.seeds=N} runs seeds 1..N (200 by default), {@code -Draftx.sim.seed=S}
 * replays one, {@code -Draftx.sim.threads=T} runs T seeds at a time (each seed is independent and deterministic).
 */
class VolatileMembershipSimulationTest {

    private static final int LIVENESS_TICKS = 3000;

    @Test
    void acknowledgedVolatileWritesSurviveMembershipChurnAndCrashes() throws InterruptedException {
        List<Long> seeds = seeds();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        LongAdder acked = new LongAdder();
        LongAdder reads = new LongAdder();
        LongAdder promotions = new LongAdder();
        LongAdder removals = new LongAdder();
        LongAdder crashes = new LongAdder();
        LongAdder held = new LongAdder();
        LongAdder done = new LongAdder();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("raftx.sim.threads", 1));
        for (long seed : seeds) {
            pool.execute(() -> {
                try {
                    Result r = run(seed);
                    acked.add(r.sidecar.acknowledged);
                    reads.add(r.sidecar.readsServed);
                    held.add(r.sidecar.changesHeld);
                    promotions.add(r.stats.promotions);
                    removals.add(r.stats.removals);
                    crashes.add(r.stats.crashes);
                } catch (Throwable t) {
                    String line = "VOLATILE SIM FAILURE seed=" + seed + " (replay: mvn -pl raftx-core test "
                            + "-Dtest=VolatileMembershipSimulationTest -Draftx.sim.seed=" + seed + ")";
                    System.out.println(line + "\n" + t.getMessage());
                    failures.add(line);
                }
                done.increment();
                if (seeds.size() >= 1000 && done.sum() % 500 == 0) {
                    System.out.printf(Locale.ROOT, "VOLATILE SIM PROGRESS: %d seeds done, %d failed, %.0f s%n",
                            done.sum(), failures.size(), (System.nanoTime() - started) / 1e9);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        System.out.printf(Locale.ROOT, "VOLATILE SIM SUMMARY: %d seeds in %.1f s, %d failed; %d acknowledged volatile "
                + "writes, %d strong reads, %d promotions, %d removals, %d crashes, %d membership changes held%n",
                seeds.size(), (System.nanoTime() - started) / 1e9, failures.size(), acked.sum(), reads.sum(),
                promotions.sum(), removals.sum(), crashes.sum(), held.sum());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + seeds.size() + " seeds failed:\n" + String.join("\n", failures));
        }
    }

    private record Result(VolatileSidecar sidecar, SimStats stats) {
    }

    private static Result run(long seed) {
        Random random = SeedSweep.randomFor(seed);
        ChaosScenario s = ChaosScenario.pickWithChurn(random);
        FaultPlan f = s.faults();
        // Crashes between inputs only, so that the sidecar's failure-model guard decides each one.
        FaultPlan faults = new FaultPlan(f.dropRate(), f.duplicateRate(), f.minDelay(), f.maxDelay(), f.slowRate(),
                f.maxSlowDelay(), f.partitionRate(), f.oneWayRate(), f.crashRate(), 0, 0, f.campaignRate(),
                f.transferRate(), f.compactionRate(), f.maxOutageTicks(), f.churn(), f.unreachableRate(), f.downReports(),
                f.reportSpread());
        SimCluster cluster = SimCluster.builder(seed).random(random).nodes(s.size()).faults(faults)
                .config(s.config()).autoSnapshot(s.autoSnapshot())
                .stopOnEmptyReady(faults.churn().selfRemovalShare() > 0)
                .traceSize(Integer.getInteger("raftx.sim.trace", 30)).build();
        VolatileSidecar sidecar = new VolatileSidecar(cluster, random);
        cluster.client().startLoad(s.clientIntervalUnits(), s.maxBurst());
        sidecar.startLoad(2 + random.nextInt(20));
        cluster.startNemesis();
        cluster.runSteps(Math.min(s.chaosSteps(), 4000));

        sidecar.stopLoad();
        cluster.client().stopLoad();
        cluster.stopNemesisAndHeal();
        cluster.awaitUntil(() -> cluster.stableLeader() != null, LIVENESS_TICKS, "a leader after healing");
        cluster.retireNonMembers(LIVENESS_TICKS);
        cluster.awaitUntil(sidecar::converged, LIVENESS_TICKS, "volatile replicas converged\n" + sidecar.describe());
        sidecar.checkFinal();
        cluster.checkFinal();
        return new Result(sidecar, cluster.stats());
    }

    private static List<Long> seeds() {
        String one = System.getProperty("raftx.sim.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        return LongStream.rangeClosed(1, Integer.getInteger("raftx.sim.seeds", 200)).boxed().toList();
    }
}
