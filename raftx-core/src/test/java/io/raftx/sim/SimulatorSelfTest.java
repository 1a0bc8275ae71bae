package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

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
    @EnumSource(value = RuntimeDefect.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyInjectedRuntimeDefectIsCaught(RuntimeDefect defect) {
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
}
