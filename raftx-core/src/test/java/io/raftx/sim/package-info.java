/**
 * A seeded, deterministic simulator for the consensus core: many {@link io.raftx.raft.Raft} instances on a virtual
 * clock, an unreliable network, crashes that keep only what was persisted, and an invariant checker that runs
 * after every step. One seed replays a whole run exactly.
 *
 * <h2>Writing a scenario</h2>
 * <pre>{@code
 * SimCluster c = SimCluster.builder(seed).nodes(5)            // n1..n5, default RaftConfig
 *         .faults(FaultPlan.smallDelay())                     // message faults; FaultPlan.randomMix(r) for chaos
 *         .config(cfg -> cfg.withPreVoteAndCheckQuorum(false, true))   // optional tuning
 *         .build();
 * c.awaitUntil(() -> c.stableLeader() != null, 100, "a leader");      // run until a condition, or fail
 * c.partition(Set.of("n1", "n2"), Set.of("n3", "n4", "n5"));          // also isolate(id), blockOneWay(a, b)
 * c.dropMessages(m -> m.type() == MessageType.APPEND_RESPONSE);       // targeted loss until heal()
 * c.crash("n3");  c.crash("n4", CrashPoint.AFTER_PERSIST);  c.restart("n3");
 * Proposal p = c.propose("n1");                     // one proposal to one node (may be refused)
 * Proposal q = c.proposeUntilCommitted(100);        // to whoever leads, retried until committed
 * c.awaitAppliedEverywhere(q.index(), 100);
 * c.readIndex(c.stableLeader().id());  c.snapshotAndCompact("n1", 5);
 * c.runTicks(20);  c.runSteps(1000);  c.runUntil(condition, maxTicks);
 * c.checkFinal();                                   // end-of-run checks
 * }</pre>
 * Random chaos: {@code c.client().startLoad(meanInterval, maxBurst)} and {@code c.startNemesis()} (partitions,
 * one-way blocks, crashes, forced campaigns, transfers, compactions per the {@link io.raftx.sim.FaultPlan}), then
 * {@code c.stopNemesisAndHeal()}. Any broken invariant throws {@link io.raftx.sim.InvariantViolation} with the seed,
 * step, node states and the last events.
 */
package io.raftx.sim;
