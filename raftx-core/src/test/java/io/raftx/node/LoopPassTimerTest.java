package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopPassTimerTest {

    private long now;
    private long gcMillis;
    private final LoopPassTimer timer = new LoopPassTimer("n1", () -> now, () -> gcMillis);

    @Test
    void aSlowPassIsLoggedWithWhereTheTimeWent() {
        timer.start();
        advance(3);
        timer.mark(LoopPassTimer.Phase.INPUTS);
        advance(140);
        gcMillis += 95; // a collection paused the loop during the group commit
        timer.mark(LoopPassTimer.Phase.PERSIST);
        advance(7);
        timer.mark(LoopPassTimer.Phase.APPLY);

        assertThat(timer.end(12)).isEqualTo("node n1: an event loop pass took 150 ms (inputs 3 ms for 12 tasks, "
                + "persist 140 ms, apply 7 ms, snapshot 0 ms, other 0 ms; GC pauses 95 ms of it); meanwhile this "
                + "node answered no peer");
    }

    @Test
    void onlyCollectionsDuringThePassCountAndNeverMoreThanThePass() {
        gcMillis = 5_000; // collections before this pass
        timer.start();
        advance(120);
        gcMillis += 400; // a pause that began before the pass started
        assertThat(timer.end(1)).contains("took 120 ms").contains("GC pauses 120 ms of it");
    }

    @Test
    void pausesAreCountedAndConcurrentCyclesAreNot() {
        assertThat(LoopPassTimer.stopsTheWorld("G1 Young Generation")).isTrue();
        assertThat(LoopPassTimer.stopsTheWorld("G1 Old Generation")).isTrue();
        assertThat(LoopPassTimer.stopsTheWorld("ZGC Pauses")).isTrue();
        assertThat(LoopPassTimer.stopsTheWorld("PS Scavenge")).isTrue();
        assertThat(LoopPassTimer.stopsTheWorld("G1 Concurrent GC")).isFalse();
        assertThat(LoopPassTimer.stopsTheWorld("ZGC Cycles")).isFalse();
        assertThat(LoopPassTimer.stopsTheWorld("Shenandoah Cycles")).isFalse();
    }

    @Test
    void fastPassesAreNotLoggedAndPhasesStartAfreshEachPass() {
        timer.start();
        advance(90);
        timer.mark(LoopPassTimer.Phase.PERSIST);
        assertThat(timer.end(1)).isNull();

        timer.start();
        advance(101);
        assertThat(timer.end(1)).contains("took 101 ms").contains("persist 0 ms").contains("other 101 ms");
    }

    @Test
    void atMostOneLinePerSecond() {
        java.util.List<Integer> logged = new java.util.ArrayList<>();
        for (int pass = 0; pass < 8; pass++) { // each 150 ms: ends at 150, 300, ..., 1,200 ms
            timer.start();
            advance(150);
            if (timer.end(1) != null) {
                logged.add(pass);
            }
        }
        assertThat(logged).containsExactly(0, 7); // 150 ms, then the first pass ending a second after it
    }

    private void advance(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
