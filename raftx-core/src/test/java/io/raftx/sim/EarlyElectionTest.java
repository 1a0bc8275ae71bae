package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.RaftConfig;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The early election start ({@code Raft.peerUnreachable}): what it gains when the transport reports a killed leader,
 * and that wrong reports neither disturb a live leader nor void its read lease. Random chaos with true and false
 * reports runs in {@link SimulationTest} and {@link MembershipChurnSimulationTest} (half the seeds).
 */
class EarlyElectionTest {

    private static final int[] SIZES = {3, 5, 9};
    /** Followers wait out their election timer for a leader they no longer hear from (no silence report). */
    private static final UnaryOperator<RaftConfig> NO_SILENCE = c -> c.withSilentLeaderTicks(0);
    private static final int LEARNING_TICKS = RaftConfig.of("n1", List.of("n1")).silenceWindowTicks();

    /**
     * The {@link FastElectionTest} trials with and without the report, side by side (informational: the tables are
     * printed; only a single round and a lower median are required, no particular number of ticks).
     */
    @Test
    void reportingTheKilledLeaderShortensFailover() {
        assertFasterInOneRound(9_000, "FAILOVER WITHOUT REPORTS, SILENCE NOT COUNTED (ticks from leader kill to new"
                        + " leader)", FaultPlan.smallDelay(), NO_SILENCE,
                "FAILOVER WITH THE KILL REPORTED TO EVERY FOLLOWER (same trials)",
                FaultPlan.smallDelay().withUnreachableReports(0), NO_SILENCE, false, 0);
    }

    /**
     * No report from any transport (a SIGKILLed process's sockets close only once the kernel has torn it down; a
     * paused or cut-off one's never), killed under load: the followers' own report of a leader silent for
     * {@code silentLeaderTicks} replaces it sooner than the election timer does, still in one round. A restarted node
     * waits longer for a silent leader until it has watched its leader for a while ({@code LeaderSilence}); the
     * trials leave it that while after each restart.
     */
    @Test
    void aSilentLeaderIsReplacedSoonerThanByTheTimer() {
        FaultPlan noReports = FaultPlan.unreliable(0, SimCluster.TICK / 2, false);
        assertFasterInOneRound(9_400, "FAILOVER UNDER LOAD WITHOUT REPORTS, SILENCE NOT COUNTED", noReports,
                NO_SILENCE, "FAILOVER UNDER LOAD WITHOUT REPORTS, A LEADER SILENT LONGER THAN ITS RECENT GAPS REPORTED BY"
                        + " EACH FOLLOWER (default, same trials)", noReports, UnaryOperator.identity(), true,
                2 * LEARNING_TICKS);
    }

    /**
     * The transport's probe finding nothing listening at the killed leader's address ({@code Raft.peerDown}) against
     * the reset alone, same trials: a leader without lease reads is then not waited for at all, so the median drops
     * (informational tables; single round and a lower median required).
     */
    @Test
    void reportingTheKilledLeaderDownShortensFailoverFurther() {
        FaultPlan reports = FaultPlan.smallDelay().withUnreachableReports(0);
        assertFasterInOneRound(9_200, "FAILOVER WITH THE RESET REPORTED ONLY", reports.withoutDownReports(),
                UnaryOperator.identity(), "FAILOVER WITH THE RESET AND THE REFUSED PROBE REPORTED (same trials)", reports,
                UnaryOperator.identity(), false, 0);
    }

    /**
     * The same {@link FastElectionTest} trials (seeds {@code seedBase + size}) under two fault plans, printed side by
     * side; the second must elect in a single round (99 %) with a lower median than the first at every size.
     */
    private static void assertFasterInOneRound(long seedBase, String slowerTitle, FaultPlan slowerPlan,
                                               UnaryOperator<RaftConfig> slowerConfig, String fasterTitle,
                                               FaultPlan fasterPlan, UnaryOperator<RaftConfig> fasterConfig,
                                               boolean underLoad, int ticksAfterRestart) {
        int trials = Integer.getInteger("raftx.sim.electionTrials", 300);
        List<FastElectionTest.Result> slower = new ArrayList<>();
        List<FastElectionTest.Result> faster = new ArrayList<>();
        for (int size : SIZES) {
            slower.add(FastElectionTest.measure(size, trials, seedBase + size, slowerPlan, underLoad, slowerConfig,
                    ticksAfterRestart));
            faster.add(FastElectionTest.measure(size, trials, seedBase + size, fasterPlan, underLoad, fasterConfig,
                    ticksAfterRestart));
        }
        System.out.println(FastElectionTest.table(slowerTitle, slower) + FastElectionTest.table(fasterTitle, faster));
        for (int i = 0; i < SIZES.length; i++) {
            // under load a stale best rank costs the odd extra round (see underLoadTheKilledLeadersSuccessor...)
            assertThat(faster.get(i).singleRoundShare()).as("single-round share at size " + SIZES[i])
                    .isGreaterThanOrEqualTo(underLoad ? 0.985 : 0.99);
            assertThat(faster.get(i).percentile(0.5)).as("median ticks at size " + SIZES[i])
                    .isLessThan(slower.get(i).percentile(0.5));
        }
    }

    /**
     * The same with the leader killed in the middle of a write load (followers' logs differ at that moment) on a
     * network whose delays reach a good part of a tick, as on a loaded machine: still one round, nearly always. The
     * rest (about 1 % at 5 and 9 nodes) are a best-ranked follower that missed the dead leader's last appends and
     * wins anyway while a follower holding them, outrunning it, takes the next term. Measured over 2,000 trials
     * per size: at 300 the bound would sit within the sampling spread of the true share (99.2-99.4 %).
     */
    @Test
    void underLoadTheKilledLeadersSuccessorStillWinsInOneRound() {
        int trials = Integer.getInteger("raftx.sim.electionTrials", 2000);
        List<FastElectionTest.Result> results = new ArrayList<>();
        for (int size : SIZES) {
            results.add(FastElectionTest.measure(size, trials, 9_100 + size,
                    FaultPlan.unreliable(0, SimCluster.TICK / 2, false).withUnreachableReports(0), true));
        }
        System.out.println(FastElectionTest.table("FAILOVER UNDER LOAD, KILL REPORTED, DELAYS UP TO HALF A TICK", results));
        for (FastElectionTest.Result r : results) {
            assertThat(r.singleRoundShare()).as("single-round share at size " + r.size()).isGreaterThanOrEqualTo(0.985);
        }
    }

    /**
     * The same, with each follower's transport noticing the kill up to two ticks after another's (its own event loop
     * gets to the closed connection late; the best-ranked follower may be among the last, as at nine node processes,
     * where the follower ranked second once pre-voted before the best-ranked had heard of the kill and the split vote
     * cost a round). The rank gap still keeps nearly every failover to one round.
     */
    @Test
    void followersNoticingTheKillAtDifferentMomentsStillElectInOneRound() {
        int trials = Integer.getInteger("raftx.sim.electionTrials", 2000);
        List<FastElectionTest.Result> results = new ArrayList<>();
        for (int size : SIZES) {
            results.add(FastElectionTest.measure(size, trials, 9_300 + size,
                    FaultPlan.unreliable(0, SimCluster.TICK / 2, false).withUnreachableReports(0)
                            .withReportSpread(2 * SimCluster.TICK), true));
        }
        System.out.println(FastElectionTest.table(
                "FAILOVER UNDER LOAD, KILL REPORTED UP TO TWO TICKS APART, DELAYS UP TO HALF A TICK", results));
        for (FastElectionTest.Result r : results) {
            assertThat(r.singleRoundShare()).as("single-round share at size " + r.size()).isGreaterThanOrEqualTo(0.985);
        }
    }

    /** Followers told over and over that their live leader is unreachable keep hearing from it: nothing changes. */
    @Test
    void falseReportsAboutALiveLeaderChangeNothing() {
        SimCluster c = SimCluster.builder(31).nodes(5).faults(FaultPlan.smallDelay().withUnreachableReports(0)).build();
        c.proposeUntilCommitted(100);
        SimNode leader = c.stableLeader();
        long term = leader.raft().term();
        for (int t = 0; t < 300; t++) {
            c.nodes().stream().filter(n -> n != leader).forEach(n -> n.raft().peerUnreachable(leader.id()));
            c.runTicks(1);
        }
        assertThat(c.stableLeader()).isSameAs(leader);
        assertThat(leader.raft().term()).isEqualTo(term);
        assertThat(c.proposeUntilCommitted(20).isCommitted()).isTrue();
    }

    /**
     * The case the lease rule was shortened for: a leader holding a read lease is cut off, and its followers are
     * (wrongly, as far as they can tell) told it is unreachable. They elect a new leader sooner than an election
     * timeout, and the old leader's lease must have lapsed by then; the checker's "lease safety" invariant (a leader
     * whose lease holds knows every committed entry) throws otherwise. With the lease still at electionTicks - 2 this
     * test fails. The leader's setting is what counts: followers configured without lease reads keep the promise a
     * leasing leader asks for in its messages.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCutOffLeaderLosesItsLeaseBeforeReportedFollowersElectAnother(boolean followersLeaseToo) {
        SimCluster c = SimCluster.builder(7).nodes(3).faults(FaultPlan.smallDelay().withUnreachableReports(0))
                .config(cfg -> cfg.withLeaseReads(followersLeaseToo || cfg.id().equals("n1"))).build();
        c.proposeUntilCommitted(100);
        SimNode old = c.stableLeader();
        assertThat(old.id()).as("the first leader (cold-start rank 0)").isEqualTo("n1");
        c.awaitUntil(() -> old.raft().leaseValid(), 20, "the leader's lease");
        c.isolate(old.id());
        c.nodes().stream().filter(n -> n != old).forEach(n -> n.raft().peerUnreachable(old.id()));
        int electionTicks = 10; // RaftConfig.of's default
        c.awaitUntil(() -> c.nodes().stream().anyMatch(n -> n != old && n.raft().role() == Role.LEADER),
                electionTicks, "a new leader sooner than an election timeout");
        for (int i = 0; i < 5; i++) {
            c.leaseRead(old.id()); // served only while its lease holds; the checker verifies each read
            c.runTicks(1);
        }
        SimNode successor = c.nodes().stream().filter(n -> n != old && n.raft().role() == Role.LEADER).findFirst()
                .orElseThrow();
        c.awaitUntil(() -> successor.raft().commitIndex() > old.raft().commitIndex(), 20, "a commit by the successor");
        c.runTicks(5);
        assertThat(old.raft().leaseValid()).as("lease of the cut-off leader").isFalse();
    }
}
