package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The simulator itself: a seed must replay exactly, and the checker must notice a runtime that breaks the rules. */
class SimulatorSelfTest {

    @Test
    void theSameSeedReplaysExactly() {
        assertThat(chaos(11, RuntimeDefect.NONE)).isEqualTo(chaos(11, RuntimeDefect.NONE));
    }

    /** Runs some chaos and returns a fingerprint of everything that happened. */
    private static String chaos(long seed, RuntimeDefect defect) {
        Random random = new Random(seed);
        ChaosScenario scenario = ChaosScenario.pick(random);
        SimCluster c = SimCluster.builder(seed).random(random).nodes(scenario.size()).faults(scenario.faults())
                .config(scenario.config()).defect(defect).build();
        c.client().startLoad(scenario.clientIntervalUnits(), scenario.maxBurst());
        c.startNemesis();
        c.runSteps(3000);
        return c.stats() + " " + c.committedPrefix() + " " + c.describeNodes() + " t=" + c.now();
    }

    @ParameterizedTest
    @EnumSource(value = RuntimeDefect.class, names = {"FORGETS_VOTE", "SENDS_BEFORE_PERSIST", "LOSES_FOLLOWER_ENTRIES"})
    void everyInjectedDurabilityDefectIsCaught(RuntimeDefect defect) {
        List<Long> missed = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            try {
                chaos(seed, defect);
                missed.add(seed);
            } catch (InvariantViolation expected) {
                // the checker noticed
            }
        }
        assertThat(missed).as(defect + " went unnoticed in these seeds").isEmpty();
    }

    /** A follower cut off from the leader is asked to serve a read: it must wait to apply up to the read index. */
    @ParameterizedTest
    @EnumSource(value = RuntimeDefect.class, names = {"NONE", "SERVES_READS_WITHOUT_WAITING"})
    void aFollowerReadServedBeforeApplyingTheReadIndexIsCaught(RuntimeDefect defect) {
        SimCluster c = SimCluster.builder(5).nodes(3).defect(defect).build();
        c.proposeUntilCommitted(100);
        String leader = c.stableLeader().id();
        String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        c.isolate(follower);
        for (int i = 0; i < 5; i++) {
            c.proposeUntilCommitted(100);
        }
        assertThat(c.followerRead(leader, follower)).isTrue();
        if (defect == RuntimeDefect.NONE) {
            c.runTicks(60); // never served while cut off; given up after a while
            assertThat(c.stats().readsServed()).isZero();
        } else {
            InvariantViolation v = assertThrows(InvariantViolation.class, () -> c.runTicks(60));
            assertThat(v.invariant()).isEqualTo("linearizable read");
        }
    }

    /** A leader cut off from everyone (no CheckQuorum, so it keeps believing it leads) must not serve lease reads. */
    @ParameterizedTest
    @EnumSource(value = RuntimeDefect.class, names = {"NONE", "LEASE_READS_WITHOUT_LEASE"})
    void aLeaseReadWithoutALeaseIsCaught(RuntimeDefect defect) {
        SimCluster c = SimCluster.builder(6).nodes(3).defect(defect)
                .config(cfg -> cfg.withPreVoteAndCheckQuorum(true, false)).build();
        c.proposeUntilCommitted(100);
        SimNode old = c.stableLeader();
        c.isolate(old.id());
        c.awaitUntil(() -> c.stableLeader() != null && c.stableLeader() != old, 200, "a new leader");
        c.proposeUntilCommitted(100);
        assertThat(old.raft().role()).isEqualTo(Role.LEADER);
        if (defect == RuntimeDefect.NONE) {
            assertThat(c.leaseRead(old.id())).isTrue(); // becomes a ReadIndex request that is never confirmed
            c.runTicks(20);
            assertThat(c.stats().readsServed()).isZero();
        } else {
            InvariantViolation v = assertThrows(InvariantViolation.class, () -> c.leaseRead(old.id()));
            assertThat(v.invariant()).isEqualTo("linearizable read");
        }
    }
}
