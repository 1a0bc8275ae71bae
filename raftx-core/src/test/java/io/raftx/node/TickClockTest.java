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
            assertThat(clock.ticked(now.get())).as("tick %d on time", k).isTrue();
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
        clock.ticked(now.get());
        assertThat(clock.current()).isTrue();
    }

    @Test
    void afterAPauseItIsBehindUntilTheMissedTicksHaveRun() {
        clock.started();
        now.addAndGet(TICK);
        clock.ticked(now.get());
        now.addAndGet(20 * TICK + TICK / 2); // the process stopped for a second, ticker included: ticks 2-21 due
        for (int missed = 1; missed < 20; missed++) {
            assertThat(clock.ticked(now.get())).as("missed tick %d comes late", missed).isFalse();
            assertThat(clock.current()).as("after %d of the 20 missed ticks", missed).isFalse();
        }
        assertThat(clock.ticked(now.get())).as("the last one was due half a tick ago: on time").isTrue();
        assertThat(clock.current()).isTrue();
    }

    /** A stall of the loop alone: the ticker queued every tick on time, so they are on time however late they run. */
    @Test
    void ticksQueuedOnTimeAreOnTimeWhenTheLoopRunsThemLate() {
        clock.started();
        long[] queued = new long[6];
        for (int k = 1; k <= 6; k++) {
            now.addAndGet(TICK);
            queued[k - 1] = now.get();
        }
        now.addAndGet(6 * TICK); // the loop was stuck in an fsync meanwhile
        for (long at : queued) {
            assertThat(clock.ticked(at)).isTrue();
        }
    }
}
