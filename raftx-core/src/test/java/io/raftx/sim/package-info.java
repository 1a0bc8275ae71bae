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
 * Random chaos: {@code c.client().startLoad(meanInterval, maxBurst)} (writes, and ReadIndex, follower and lease reads
 * whose returned state is checked) and {@code c.startNemesis()} (partitions, one-way blocks, crashes, forced
 * campaigns, transfers, compactions and, with {@code FaultPlan.withChurn(ChurnPlan)}, membership changes by a
 * {@link io.raftx.sim.MembershipChurn} operator), then {@code c.stopNemesisAndHeal()}. Any broken invariant throws
 * {@link io.raftx.sim.InvariantViolation} with the seed, step, node states and the last events.
 *
 * <h2>Membership</h2>
 * <pre>{@code
 * SimCluster c = SimCluster.builder(seed).nodes(1).autoSnapshot(new AutoSnapshot(5, 2)).build();
 * SimNode joining = c.addJoiningNode();                              // n2: empty, no configuration, waits
 * c.changeMembership(ConfigChange.addLearner(joining.id()), 200);    // retried on whoever leads until committed
 * c.changeMembership(ConfigChange.promote(joining.id()), 200);       // once followerLag(id) is 0..small
 * c.changeMembership(ConfigChange.remove(c.stableLeader().id()), 300);   // the leader hands over first
 * c.retireNonMembers(100);                                           // shut down nodes outside the configuration
 * c.followerRead(leader, follower);  c.leaseRead(leader);            // reads, checked when served
 * }</pre>
 *
 * <h2>Test suites</h2>
 * {@link io.raftx.sim.SimulationTest} and {@link io.raftx.sim.MembershipChurnSimulationTest} run random seeds
 * ({@code -Draftx.sim.seeds=N}, {@code -Draftx.sim.seed=S}); {@code Mit3*Test} are the MIT 6.5840 Raft lab's tests on
 * the {@link io.raftx.sim.MitCluster} harness; {@link io.raftx.sim.VolatileMembershipSimulationTest} runs the volatile
 * keyspace beside the Raft cores ({@link io.raftx.sim.VolatileSidecar}) under membership churn; {@link io.raftx.sim.CoreRegressionTest} and
 * {@link io.raftx.sim.MembershipRegressionTest} keep the minimal reproductions of the core defects the simulator
 * found (all fixed).
 */
package io.raftx.sim;
