package io.raftx.kv.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history's records give back every field of every event, and its blocks go when their events go. */
class WatchHistoryTest {

    private static final WatchPattern ALL = WatchPattern.compile("**");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsComeBackWithEveryField() {
        WatchHistory h = new WatchHistory(100);
        WatchEvent put = WatchEvent.of(WatchEvent.Type.PUT, b("a.1"), null, b("v1"), 5,
                new WatchEvent.KeyMeta(5, 1, 0));
        WatchEvent overwrite = WatchEvent.of(WatchEvent.Type.PUT, b("a.1"), b("v1"), new byte[0], 6,
                new WatchEvent.KeyMeta(5, 2, 5));
        WatchEvent delete = WatchEvent.of(WatchEvent.Type.DELETE, b("a.1"), new byte[0], null, 7,
                new WatchEvent.KeyMeta(5, 2, 6));
        WatchEvent volatileKey = new WatchEvent(WatchEvent.Type.PUT, b("b"), null, b("x"), 7, true);
        h.append(List.of(put));
        h.append(List.of(overwrite));
        h.append(List.of(delete, volatileKey));

        List<WatchEvent> all = h.since(1, ALL);
        assertThat(all).containsExactly(put, overwrite, delete, volatileKey);
        assertThat(all).extracting(WatchEvent::meta)
                .containsExactly(put.meta(), overwrite.meta(), delete.meta(), WatchEvent.KeyMeta.UNKNOWN);
        assertThat(all.get(1).value()).isEmpty();
        assertThat(all.get(2).value()).isNull();
        assertThat(all.get(3).volatileKey()).isTrue();
        assertThat(h.since(7, WatchPattern.compile("a.*"))).containsExactly(delete);
        assertThat(h.since(8, ALL)).isEmpty();
    }

    @Test
    void evictionTakesWholeRevisionsAndFreesTheirBlocks() {
        WatchHistory h = new WatchHistory(1_000);
        byte[] value = new byte[10_000]; // about 50 records per block
        for (long revision = 1; revision <= 2_000; revision++) {
            List<WatchEvent> txn = new ArrayList<>();
            for (int k = 0; k < (revision % 3 == 0 ? 3 : 1); k++) {
                txn.add(WatchEvent.put(b("k" + k), null, value, revision));
            }
            h.append(txn);
            assertThat(h.size()).isLessThanOrEqualTo(1_000);
        }
        long oldest = h.oldestRetainedRevision();
        List<WatchEvent> retained = h.since(0, ALL);
        assertThat(retained).hasSize(h.size());
        assertThat(retained.get(0).revision()).isEqualTo(oldest);
        assertThat(retained.get(retained.size() - 1).revision()).isEqualTo(2_000);
        assertThat(retained.stream().filter(e -> e.revision() == oldest).count())
                .as("the oldest retained revision is complete").isEqualTo(oldest % 3 == 0 ? 3 : 1);
        assertThat(h.blockCount()).as("blocks of evicted events are dropped").isBetween(20, 24);
        assertThat(h.spareBlockCount()).as("and reused: one spare at most in a steady state").isLessThanOrEqualTo(1);

        h.compact(1_990);
        assertThat(h.since(0, ALL)).extracting(WatchEvent::revision).allMatch(r -> r > 1_990);
        assertThat(h.blockCount()).isBetween(1, 2);
        assertThat(h.spareBlockCount()).as("a few spares kept, the rest dropped").isEqualTo(4);
        h.reset(3_000);
        assertThat(h.size()).isZero();
        assertThat(h.blockCount()).isZero();
        assertThat(h.compactedThrough()).isEqualTo(3_000);
        h.append(List.of(WatchEvent.put(b("k"), null, b("v"), 3_001)));
        assertThat(h.since(3_001, ALL)).extracting(WatchEvent::revision).containsExactly(3_001L);
    }

    @Test
    void aRecordLargerThanABlockGetsABlockOfItsOwn() {
        WatchHistory h = new WatchHistory(10);
        WatchEvent small = WatchEvent.put(b("s"), null, b("v"), 1);
        WatchEvent large = WatchEvent.put(b("l"), null, new byte[600 * 1024], 2);
        h.append(List.of(small));
        h.append(List.of(large));
        h.append(List.of(small(3)));
        assertThat(h.since(1, ALL)).containsExactly(small, large, small(3));
        assertThat(h.blockCount()).isEqualTo(3);
    }

    @Test
    void aZeroCapacityKeepsNothing() {
        WatchHistory h = new WatchHistory(0);
        h.append(List.of(small(1), small(1)));
        assertThat(h.size()).isZero();
        assertThat(h.blockCount()).isZero();
        assertThat(h.compactedThrough()).isEqualTo(1);
    }

    private static WatchEvent small(long revision) {
        return WatchEvent.put(b("s"), null, b("v"), revision);
    }
}
