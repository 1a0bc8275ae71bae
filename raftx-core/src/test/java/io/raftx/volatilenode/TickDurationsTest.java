package io.raftx.volatilenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TickDurationsTest {

    private static final Duration TICK = Duration.ofMillis(50);

    @Test
    void roundsUpAndAddsOneTick() {
        assertThat(TickDurations.ttlTicks(Duration.ofMillis(101), TICK)).isEqualTo(4);
        assertThat(TickDurations.ttlTicks(Duration.ZERO, TICK)).isZero();
        assertThat(TickDurations.ttlTicks(null, TICK)).isZero();
        assertThat(TickDurations.ttlTicks(TickDurations.MAX_TTL, TICK))
                .isEqualTo(TickDurations.MAX_TTL.toMillis() / 50 + 1);
    }

    @Test
    void rejectsNegativeAndOverlongTtlsAsInvalidInput() {
        assertThatIllegalArgumentException().isThrownBy(() -> TickDurations.ttlTicks(Duration.ofSeconds(-1), TICK))
                .withMessageContaining("negative");
        // 99999999999 days overflows a long of nanoseconds: it must be bad input, not an arithmetic failure.
        assertThatIllegalArgumentException().isThrownBy(() -> TickDurations.ttlTicks(Duration.ofDays(99_999_999_999L),
                TICK)).withMessageContaining("at most 36500 days");
    }
}
