package io.raftx.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {

    @Test
    void followsTheDynamicThresholdTable() {
        SnapshotPolicy p = new SnapshotPolicy(100_000, 10_000);
        assertThat(p.due(100_000)).isFalse();
        assertThat(p.due(100_001)).isTrue();
        assertThat(p.compactTo(100_001)).isEqualTo(90_001);
        p.compacted(10_000);
        assertThat(p.threshold()).isEqualTo(100_000); // never below the configured threshold
        p.compacted(80_000);
        assertThat(p.threshold()).isEqualTo(120_000); // 1.5 x what is left
        p.compacted(90_000);
        assertThat(p.threshold()).isEqualTo(135_000);
    }

    @Test
    void noCompactionStormWhenMostOfTheLogMustBeKept() {
        SnapshotPolicy p = new SnapshotPolicy(1_000, 900);
        long log = 1_001;
        int snapshots = 0;
        for (int appended = 0; appended < 100_000; appended++) {
            log++;
            if (p.due(log)) {
                snapshots++;
                log = Math.min(log, 900 + log / 2); // the state machine lags: half the log cannot go
                p.compacted(log);
            }
        }
        assertThat(snapshots).isLessThan(200); // without the dynamic threshold this is one per entry
    }

    @Test
    void staggeredThresholdsSpreadTheMembersOfAClusterApart() {
        List<Long> thresholds = IntStream.rangeClosed(1, 9)
                .mapToObj(i -> SnapshotPolicy.staggered(100_000, "n" + i)).sorted().toList();
        assertThat(thresholds).allMatch(t -> t >= 100_000 && t < 112_500).doesNotHaveDuplicates();
        assertThat(thresholds.get(8) - thresholds.get(0)).as("spread over most of the eighth").isGreaterThan(8_000);
        assertThat(SnapshotPolicy.staggered(100_000, "n1")).as("the same for the same id")
                .isEqualTo(SnapshotPolicy.staggered(100_000, "n1"));
        assertThat(SnapshotPolicy.staggered(7, "n1")).as("too small to spread").isEqualTo(7);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SnapshotPolicy(0, 1)).hasMessageContaining("threshold must be >= 1");
    }
}
