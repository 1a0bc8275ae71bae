package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftConfig#silentLeaderTicks()}: a follower that hears nothing from its leader for that long reports it
 * unreachable itself. No transport report is made in these tests.
 */
class SilentLeaderTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3", "n4", "n5");
    private static final RaftConfig DEFAULTS = RaftConfig.of("n1", IDS);

    /** One window of ticks: long enough for the followers' silence thresholds to have learnt the heartbeat gaps. */
    private static final int WINDOW = DEFAULTS.silenceWindowTicks();

    /** Elected, then run for a window, so that the thresholds stand at the floor. */
    private static TestNetwork elected(UnaryOperator<RaftConfig> tune) {
        TestNetwork net = justElected(tune);
        net.tickAll(WINDOW);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    private static TestNetwork justElected(UnaryOperator<RaftConfig> tune) {
        TestNetwork net = new TestNetwork(IDS, id -> tune.apply(RaftConfig.of(id, IDS)));
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    /** Ticks until someone other than n1 leads, or -1 within {@code max}. */
    private static int ticksToNewLeader(TestNetwork net, int max) {
        return net.ticksUntilLeaderOtherThan("n1", max);
    }

    @Test
    void theDefaultIsTwoHeartbeatIntervals() {
        assertThat(DEFAULTS.silentLeaderTicks()).isEqualTo(2 * DEFAULTS.heartbeatTicks()).isEqualTo(4);
        assertThat(DEFAULTS.withElection(20, 3, 3, 1).silentLeaderTicks()).isEqualTo(6);
        assertThat(DEFAULTS.withElection(4, 2, 3, 1).silentLeaderTicks()).as("not shorter than the timeout: off")
                .isZero();
    }

    /**
     * A killed leader that closed nothing yet: the best-ranked follower pre-votes one tick (plus jitter) after its
     * report, and the others, silent as long, grant it. The last heartbeat may be up to a heartbeat interval old
     * at the kill, so the new leader comes between {@code silent + 1 - heartbeat} and {@code silent + 1 + jitter}
     * ticks after it, against more than a whole election timeout without the report.
     */
    @Test
    void aKilledLeaderIsReplacedSoonAfterItFellSilent() {
        TestNetwork net = elected(c -> c);
        net.crash("n1");
        int ticks = ticksToNewLeader(net, 40);
        int silent = DEFAULTS.silentLeaderTicks();
        assertThat(ticks).isBetween(silent + 1 - DEFAULTS.heartbeatTicks(), silent + 1 + DEFAULTS.jitterTicks());

        TestNetwork off = elected(c -> c.withSilentLeaderTicks(0));
        off.crash("n1");
        assertThat(ticksToNewLeader(off, 40)).isGreaterThan(DEFAULTS.electionTicks());
    }

    /** Right after the start (a JVM at its slowest) the threshold stands at its highest: one tick short of the timer. */
    @Test
    void aFreshClusterWaitsLongerForItsLeader() {
        TestNetwork net = justElected(c -> c);
        net.crash("n1");
        int ticks = ticksToNewLeader(net, 40);
        assertThat(ticks).isGreaterThan(DEFAULTS.silentLeaderTicks() + 1 + DEFAULTS.jitterTicks())
                .isLessThanOrEqualTo(DEFAULTS.electionTicks() + DEFAULTS.jitterTicks());
    }

    /**
     * A leader whose messages now and then stop for a while (GC pauses): the followers learn those gaps and wait
     * longer, so a stall as long as the ones seen does not start an election.
     */
    @Test
    void followersLearnTheGapsOfTheirLeader() {
        TestNetwork net = elected(c -> c);
        long term = net.nodes.get("n1").term();
        List<String> followers = IDS.subList(1, IDS.size());
        assertThat(followers).allMatch(id -> net.nodes.get(id).silenceThresholdTicks() == DEFAULTS.silentLeaderTicks());
        for (int round = 0; round < 10; round++) { // stalls of one tick: gaps of three ticks, no report yet
            net.drop = m -> m.from().equals("n1");
            net.tickAll(1 + round % 2);
            net.drop = m -> false;
            net.tickAll(7);
        }
        assertThat(net.nodes.get("n1").term()).isEqualTo(term);
        int learnt = net.nodes.get("n2").silenceThresholdTicks();
        assertThat(learnt).isGreaterThan(DEFAULTS.silentLeaderTicks());
        assertThat(followers).allMatch(id -> net.nodes.get(id).silenceThresholdTicks() == learnt);
        for (int round = 0; round < 20; round++) { // as long as the longest seen: no election
            net.drop = m -> m.from().equals("n1");
            net.tickAll(learnt - DEFAULTS.heartbeatTicks());
            net.drop = m -> false;
            net.tickAll(7);
        }
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.nodes.get("n1").term()).isEqualTo(term);
    }

    /**
     * A pause of a follower's own process (GC, a starved machine) is not its leader's silence: the missed ticks come
     * late ({@link Raft#tickLate()}), in a burst ahead of the leader's next message, and neither teach the follower
     * a longer gap nor count as silence. Delivered as on-time ticks, the same burst raises its threshold.
     */
    @Test
    void aPauseOfTheFollowersOwnProcessIsNotItsLeadersSilence() {
        int pause = 2 * DEFAULTS.silentLeaderTicks(); // the threshold's ceiling is one tick above it
        for (boolean late : new boolean[] {true, false}) {
            TestNetwork net = elected(c -> c);
            long term = net.nodes.get("n1").term();
            net.crash("n2"); // paused: it neither ticks nor hears anything
            net.tickAll(pause);
            net.resume("n2");
            for (int i = 0; i < pause; i++) {
                if (late) {
                    net.nodes.get("n2").tickLate();
                } else {
                    net.nodes.get("n2").tick();
                }
            }
            net.tickAll(2 * DEFAULTS.heartbeatTicks());
            int threshold = net.nodes.get("n2").silenceThresholdTicks();
            if (late) {
                assertThat(threshold).as("late ticks").isEqualTo(DEFAULTS.silentLeaderTicks());
            } else {
                assertThat(threshold).as("on-time ticks").isGreaterThan(pause);
            }
            assertThat(net.leader()).isEqualTo("n1");
            assertThat(net.nodes.get("n1").term()).isEqualTo(term);
        }
    }

    /**
     * Two of the four followers restarted a moment before the leader is killed: their thresholds stand at the
     * ceiling for want of a window of their own, and the best-ranked follower's pre-vote needs one of them. Asked
     * after hearing nothing for the floor, they take the candidate's word for the silence, so the new leader comes
     * as soon as with learnt followers, not a ceiling later. While they still hear the leader they hold the pre-vote
     * of a follower that alone lost touch, and nothing changes.
     */
    @Test
    void justRestartedFollowersTakeTheCandidatesWordForTheSilence() {
        for (boolean leaderKilled : new boolean[] {true, false}) {
            TestNetwork net = elected(c -> c);
            net.tickAll(2 * WINDOW); // every node's threshold rests on windows of its own
            long term = net.nodes.get("n1").term();
            String best = IDS.stream().filter(id -> !id.equals("n1") && net.nodes.get(id).rank() == 0).findFirst()
                    .orElseThrow();
            List<String> restarted = IDS.stream().filter(id -> !id.equals("n1") && !id.equals(best)).limit(2)
                    .toList();
            for (String id : restarted) {
                net.crash(id);
                net.start(id);
            }
            net.tickAll(2 * DEFAULTS.heartbeatTicks());
            assertThat(net.nodes.get(best).silenceThresholdTicks()).isEqualTo(DEFAULTS.silentLeaderTicks());
            restarted.forEach(id -> assertThat(net.nodes.get(id).silenceThresholdTicks()).as(id)
                    .isEqualTo(DEFAULTS.electionTicks() - 1));
            if (leaderKilled) {
                net.crash("n1");
                int silent = DEFAULTS.silentLeaderTicks();
                assertThat(ticksToNewLeader(net, 40)).isBetween(silent + 1 - DEFAULTS.heartbeatTicks(),
                        silent + 1 + DEFAULTS.jitterTicks());
            } else {
                net.drop = m -> m.from().equals("n1") && m.to().equals(best);
                assertThat(ticksToNewLeader(net, 200)).isEqualTo(-1);
                assertThat(net.nodes.get("n1").term()).isEqualTo(term);
            }
        }
    }

    /** One follower cut off from the leader reports it, pre-votes, and is ignored by the majority still hearing it. */
    @Test
    void oneFollowerThatHearsNothingCannotUnseatALeaderTheOthersHear() {
        TestNetwork net = elected(c -> c);
        long term = net.nodes.get("n1").term();
        String best = IDS.stream().filter(id -> !id.equals("n1") && net.nodes.get(id).rank() == 0).findFirst()
                .orElseThrow();
        net.drop = m -> m.from().equals("n1") && m.to().equals(best);
        assertThat(ticksToNewLeader(net, 200)).isEqualTo(-1);
        assertThat(net.nodes.get("n1").term()).isEqualTo(term);
        assertThat(net.nodes.get(best).term()).as("its pre-votes never raised a term").isEqualTo(term);
    }

    /** A leader silent for less than the threshold (a late heartbeat) changes nothing. */
    @Test
    void aShortSilenceChangesNothing() {
        TestNetwork net = elected(c -> c);
        long term = net.nodes.get("n1").term();
        for (int round = 0; round < 20; round++) {
            net.drop = m -> m.from().equals("n1");
            net.tickAll(DEFAULTS.silentLeaderTicks() - DEFAULTS.heartbeatTicks());
            net.drop = m -> false;
            net.tickAll(DEFAULTS.heartbeatTicks());
        }
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.nodes.get("n1").term()).isEqualTo(term);
    }

    /**
     * A leasing leader cut off from everyone: its followers report it silent, and a new leader is elected sooner than
     * an election timeout; the old leader's lease must have ended before the new leader exists (the lease stands on
     * the followers' promise, {@link RaftConfig#unreachableLeaderTicks()}, which a silence report does not shorten).
     */
    @Test
    void aCutOffLeasingLeaderLosesItsLeaseBeforeSilentFollowersElectAnother() {
        TestNetwork net = elected(c -> c.withLeaseReads(true));
        net.tickAll(DEFAULTS.heartbeatTicks());
        Raft old = net.nodes.get("n1");
        assertThat(old.leaseValid()).isTrue();
        net.partition(Set.of("n1"));
        int lastLeaseTick = 0;
        int newLeaderTick = -1;
        for (int t = 1; t <= 60 && newLeaderTick < 0; t++) {
            net.tickAll(1);
            if (old.leaseValid()) {
                lastLeaseTick = t;
            }
            boolean someoneElseLeads = IDS.stream().filter(id -> !id.equals("n1"))
                    .anyMatch(id -> net.nodes.get(id).role() == Role.LEADER);
            newLeaderTick = someoneElseLeads ? t : -1;
        }
        assertThat(newLeaderTick).as("elected without n1").isPositive()
                .isLessThanOrEqualTo(DEFAULTS.electionTicks() + 1);
        assertThat(lastLeaseTick).as("the old lease ended before the new leader").isLessThan(newLeaderTick);
    }
}
