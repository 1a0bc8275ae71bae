package io.raftx.kv.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchHubTest {

    /** Runs delivery tasks only when the test says so: makes queueing and overflow deterministic. */
    static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable t;
            while ((t = next()) != null) {
                t.run();
            }
        }

        private synchronized Runnable next() {
            return tasks.poll();
        }
    }

    /** Collects events and the overflow notice. */
    static class Recorder implements WatchListener {
        final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<WatchOverflow> overflow = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onOverflow(WatchOverflow o) {
            overflow.set(o);
        }

        List<Long> revisions() {
            synchronized (events) {
                return events.stream().map(WatchEvent::revision).toList();
            }
        }
    }

    private final ManualExecutor manual = new ManualExecutor();
    private WatchHub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private static WatchEvent put(String key, long revision) {
        return WatchEvent.put(key.getBytes(StandardCharsets.UTF_8), null,
                ("v" + revision).getBytes(StandardCharsets.UTF_8), revision);
    }

    private void publish(long revision, String... keys) {
        List<WatchEvent> events = new ArrayList<>();
        for (String k : keys) {
            events.add(put(k, revision));
        }
        hub.publish(revision, events);
    }

    @Test
    void eachWatcherGetsItsMatchingEventsInRevisionOrder() {
        hub = new WatchHub();
        Recorder ai = new Recorder();
        Recorder all = new Recorder();
        Recorder one = new Recorder();
        hub.watch("ai.**", ai);
        hub.watch("**", all);
        hub.watch("ai.*", one);
        for (long r = 1; r <= 2000; r++) {
            publish(r, r % 2 == 0 ? "ai.model.v" + r : "ai.x", "other." + r);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> all.events.size() == 4000 && ai.events.size() == 2000
                && one.events.size() == 1000);
        assertThat(all.revisions()).isSorted();
        assertThat(ai.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 2000).boxed().toList());
        assertThat(one.events).allSatisfy(e -> assertThat(e.keyAsString()).isEqualTo("ai.x"));
        assertThat(hub.deliveredCount()).isEqualTo(7000);
        assertThat(hub.failedCount()).isZero();
    }

    @Test
    void overflowCancelsAtARevisionBoundaryAndResumeContinuesWithoutAGap() {
        hub = new WatchHub(WatchOptions.defaults().withQueueCapacity(3).withDeliveryExecutor(manual));
        Recorder slow = new Recorder();
        Watch watch = hub.watch("k.**", slow);
        publish(1, "k.a");
        publish(2, "k.a", "k.b");   // queue: 3 events, full
        publish(3, "other");        // does not match: no effect on the queue
        publish(4, "k.c");          // would make 4 > 3: the watch overflows here, revision 4 is not taken
        publish(5, "k.d");

        assertThat(watch.isCancelled()).isTrue();
        assertThat(hub.watchCount()).isZero();
        assertThat(hub.overflowCount()).isEqualTo(1);

        manual.runAll();
        assertThat(slow.revisions()).containsExactly(1L, 2L, 2L);
        assertThat(slow.overflow.get()).isEqualTo(new WatchOverflow("k.**", 3, 3));
        assertThat(slow.overflow.get().resumeFromRevision()).isEqualTo(4);

        Recorder resumed = new Recorder();
        hub.watch("k.**", slow.overflow.get().resumeFromRevision(), resumed);
        publish(6, "k.e");
        manual.runAll();
        assertThat(resumed.revisions()).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aResumeReplayLargerThanTheCapacityDoesNotCountAgainstIt() {
        hub = new WatchHub(WatchOptions.defaults().withQueueCapacity(2).withDeliveryExecutor(manual));
        for (long r = 1; r <= 10; r++) {
            publish(r, "k");
        }
        Recorder r = new Recorder();
        Watch w = hub.watch("**", 1, r);   // 10 replayed events wait in the queue, over the capacity of 2
        publish(11, "k");
        publish(12, "k");
        assertThat(w.isCancelled()).as("live events fit beside the replay").isFalse();
        publish(13, "k");                  // the third live event is one too many
        assertThat(w.isCancelled()).isTrue();
        manual.runAll();
        assertThat(r.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 12).boxed().toList());
        assertThat(r.overflow.get().resumeFromRevision()).isEqualTo(13);
    }

    @Test
    void anEmptyQueueTakesATransactionLargerThanTheCapacity() {
        hub = new WatchHub(WatchOptions.defaults().withQueueCapacity(2).withDeliveryExecutor(manual));
        Recorder r = new Recorder();
        Watch w = hub.watch("**", r);
        publish(1, "a", "b", "c", "d");
        assertThat(w.isCancelled()).isFalse();
        manual.runAll();
        assertThat(r.events).hasSize(4);
    }

    @Test
    void aBlockedListenerNeverStallsPublishingNorOtherWatchers() throws Exception {
        hub = new WatchHub(WatchOptions.defaults().withQueueCapacity(10));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstEventTaken = new CountDownLatch(1);
        Recorder slow = new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                firstEventTaken.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEvent(event);
            }
        };
        Recorder fast = new Recorder();
        hub.watch("**", slow);
        hub.watch("**", fast);
        publish(1, "k");
        assertThat(firstEventTaken.await(10, TimeUnit.SECONDS)).isTrue();

        for (long r = 2; r <= 100; r++) {
            publish(r, "k");  // on this thread, like apply: must return while the slow listener is stuck
            long published = r;
            // Pace on the healthy watcher (its queue is small too): it keeps receiving while the other one is stuck.
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> fast.events.size() == published);
        }
        assertThat(release.getCount()).as("all published while the listener was blocked").isEqualTo(1);
        assertThat(fast.overflow.get()).isNull();

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.overflow.get() != null);
        WatchOverflow overflow = slow.overflow.get();
        // The listener held event 1; the queue then took 10 more (revisions 2..11) before refusing revision 12.
        assertThat(overflow.lastDeliveredRevision()).isEqualTo(11);
        assertThat(slow.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 11).boxed().toList());

        Recorder resumed = new Recorder();
        hub.watch("**", overflow.resumeFromRevision(), resumed);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events.size() == 89);
        assertThat(resumed.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(12, 100).boxed().toList());
    }

    @Test
    void resumingOlderThanTheHistoryFailsClearly() {
        hub = new WatchHub(WatchOptions.defaults().withHistorySize(10).withDeliveryExecutor(manual));
        for (long r = 1; r <= 20; r++) {
            publish(r, "k." + r);
        }
        assertThat(hub.oldestRetainedRevision()).isEqualTo(11);
        assertThatThrownBy(() -> hub.watch("**", 5, e -> { }))
                .isInstanceOfSatisfying(CompactedException.class, e -> {
                    assertThat(e.requestedRevision()).isEqualTo(5);
                    assertThat(e.oldestRetainedRevision()).isEqualTo(11);
                })
                .hasMessage("revision 5 is compacted; oldest retained is 11;"
                        + " re-read the keys and watch from the current revision");
        assertThatThrownBy(() -> hub.watch("**", 10, e -> { })).isInstanceOf(CompactedException.class);

        Recorder r = new Recorder();
        hub.watch("k.*", 11, r);
        publish(21, "k.21");
        manual.runAll();
        assertThat(r.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(11, 21).boxed().toList());
    }

    @Test
    void historyEvictsWholeRevisionsOnly() {
        hub = new WatchHub(WatchOptions.defaults().withHistorySize(3).withDeliveryExecutor(manual));
        publish(1, "a", "b");
        publish(2, "a", "b");  // 4 events > 3: all of revision 1 goes, not just its first event
        assertThat(hub.oldestRetainedRevision()).isEqualTo(2);
        Recorder r = new Recorder();
        hub.watch("**", 2, r);
        manual.runAll();
        assertThat(r.revisions()).containsExactly(2L, 2L);
    }

    @Test
    void aFutureStartRevisionSkipsEarlierEvents() {
        hub = new WatchHub(WatchOptions.defaults().withDeliveryExecutor(manual));
        publish(1, "a");
        Recorder r = new Recorder();
        hub.watch("**", 3, r);
        publish(2, "a");
        publish(3, "a");
        manual.runAll();
        assertThat(r.revisions()).containsExactly(3L);
        assertThatThrownBy(() -> hub.watch("**", 0, r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromRevision must be >= 1");
    }

    @Test
    void aThrowingListenerIsCountedAndAffectsNobodyElse() {
        hub = new WatchHub(WatchOptions.defaults().withDeliveryExecutor(manual));
        List<Long> seenByThrower = new ArrayList<>();
        Watch thrower = hub.watch("**", e -> {
            seenByThrower.add(e.revision());
            if (e.revision() % 2 == 0) {
                throw new IllegalStateException("listener bug");
            }
        });
        Recorder healthy = new Recorder();
        hub.watch("**", healthy);
        for (long r = 1; r <= 10; r++) {
            publish(r, "k");
        }
        manual.runAll();

        assertThat(seenByThrower).as("delivery goes on after a failure").hasSize(10);
        assertThat(thrower.failedCount()).isEqualTo(5);
        assertThat(thrower.deliveredCount()).isEqualTo(5);
        assertThat(thrower.lastDeliveredRevision()).isEqualTo(10);
        assertThat(thrower.isCancelled()).isFalse();
        assertThat(healthy.events).hasSize(10);
        assertThat(hub.failedCount()).isEqualTo(5);
        assertThat(hub.deliveredCount()).isEqualTo(15);
    }

    @Test
    void cancelStopsDeliveryAndDropsQueuedEvents() {
        hub = new WatchHub(WatchOptions.defaults().withDeliveryExecutor(manual));
        Recorder r = new Recorder();
        Watch w = hub.watch("**", r);
        publish(1, "a");
        w.cancel();
        w.cancel();
        publish(2, "a");
        manual.runAll();
        assertThat(r.events).isEmpty();
        assertThat(w.isCancelled()).isTrue();
        assertThat(hub.watchCount()).isZero();
    }

    @Test
    void resetDropsHistoryAndReplaysNothing() {
        hub = new WatchHub(WatchOptions.defaults().withDeliveryExecutor(manual));
        Recorder r = new Recorder();
        hub.watch("**", r);
        hub.reset(50);
        manual.runAll();
        assertThat(r.events).isEmpty();
        assertThat(hub.lastRevision()).isEqualTo(50);
        assertThatThrownBy(() -> hub.watch("**", 50, e -> { })).isInstanceOf(CompactedException.class)
                .hasMessageContaining("oldest retained is 51");
        publish(51, "a");
        manual.runAll();
        assertThat(r.revisions()).containsExactly(51L);
    }

    @Test
    void invalidPatternIsRejectedAtRegistration() {
        hub = new WatchHub(WatchOptions.defaults().withDeliveryExecutor(manual));
        assertThatThrownBy(() -> hub.watch("ai.**.x", e -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'**' is only allowed as the last segment");
        assertThat(hub.watchCount()).isZero();
    }
}
