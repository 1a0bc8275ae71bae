package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TickClockTest {

    private static final long TICK = 50_000_000L; // 50 ms in nanoseconds

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TickClock clock = new TickClock(Duration.ofNanos(TICK), now::get);

    @Test
    void isNotCurrentBeforeTheTickerStarted() {
        assertThat(clock.current()).isFalse();
    }

    @Test
    void staysCurrentWhileEveryDueTickRunsOnTime() {
        clock.started();
        for (int k = 1; k <= 100; k++) {
            now.addAndGet(TICK - 1);
            assertThat(clock.current()).as("just before tick %d is due", k).isTrue();
            now.addAndGet(1 + TICK / 10); // the loop runs tick k a tenth of a tick late
            assertThat(clock.ticked()).as("tick %d on time", k).isTrue();
            assertThat(clock.current()).as("right after tick %d ran", k).isTrue();
            now.addAndGet(-TICK / 10);
        }
    }

    @Test
    void aTickMoreThanAQuarterOfATickOverdueMakesItBehind() {
        clock.started();
        now.addAndGet(TICK + TICK / 4 - 1);
        assertThat(clock.current()).isTrue();
        now.addAndGet(1);
        assertThat(clock.current()).as("tick 1 overdue by a quarter of a tick").isFalse();
        clock.ticked();
        assertThat(clock.current()).isTrue();
    }

    @Test
    void afterAPauseItIsBehindUntilTheMissedTicksHaveRun() {
        clock.started();
        now.addAndGet(TICK);
        clock.ticked();
        now.addAndGet(20 * TICK + TICK / 2); // the process stopped for a second, ticker included: ticks 2-21 due
        for (int missed = 1; missed < 20; missed++) {
            assertThat(clock.ticked()).as("missed tick %d comes late", missed).isFalse();
            assertThat(clock.current()).as("after %d of the 20 missed ticks", missed).isFalse();
        }
        assertThat(clock.ticked()).as("the last one was due half a tick ago: on time").isTrue();
        assertThat(clock.current()).isTrue();
    }
}
