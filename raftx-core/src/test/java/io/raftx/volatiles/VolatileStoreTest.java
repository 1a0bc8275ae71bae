package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VolatileStoreTest {

    private final VolatileStore store = new VolatileStore();
    private long index;

    private VolatileEvent apply(VolatileOp op) {
        return store.apply(new SequencedOp(++index, 1, op));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putAndDeleteEmitEventsWithPreviousAndNewValues() {
        VolatileEvent created = apply(VolatileOp.put("k", bytes("a"), 0));
        assertThat(created.prev()).isNull();
        assertThat(created.value().bytes()).isEqualTo(bytes("a"));
        assertThat(created.volatileData()).isTrue();
        VolatileEvent updated = apply(VolatileOp.put("k", bytes("b"), 0));
        assertThat(updated.prev().bytes()).isEqualTo(bytes("a"));
        VolatileEvent deleted = apply(VolatileOp.delete("k"));
        assertThat(deleted.type()).isEqualTo(OpType.DELETE);
        assertThat(deleted.value()).isNull();
        assertThat(apply(VolatileOp.delete("k"))).isNull(); // nothing there: no event
    }

    @Test
    void setsTrackMembersAndDisappearWithTheirLastMember() {
        apply(VolatileOp.addToSet("s", "a", 0));
        apply(VolatileOp.addToSet("s", "b", 0));
        assertThat(store.get("s").members()).containsExactly("a", "b");
        assertThat(store.get("s").memberVersion("a")).isEqualTo(1);
        apply(VolatileOp.removeFromSet("s", "a"));
        assertThat(apply(VolatileOp.removeFromSet("s", "zzz"))).isNull();
        VolatileEvent last = apply(VolatileOp.removeFromSet("s", "b"));
        assertThat(last.value()).isNull();
        assertThat(store.get("s")).isNull();
    }

    @Test
    void addToSetReplacesAPlainValueAndPutReplacesASet() {
        apply(VolatileOp.put("k", bytes("v"), 0));
        apply(VolatileOp.addToSet("k", "m", 0));
        assertThat(store.get("k").isSet()).isTrue();
        apply(VolatileOp.put("k", bytes("w"), 0));
        assertThat(store.get("k").isSet()).isFalse();
    }

    @Test
    void expiryOnlyRemovesTheVersionWhoseTtlRanOut() {
        apply(VolatileOp.put("k", bytes("v1"), 5));             // version 1
        apply(VolatileOp.put("k", bytes("v2"), 5));             // version 2: a refresh
        assertThat(apply(VolatileOp.expireKey("k", 1))).isNull(); // the stale deadline loses
        VolatileEvent expired = apply(VolatileOp.expireKey("k", 2));
        assertThat(expired.cause()).isEqualTo(VolatileEvent.Cause.EXPIRED);
        apply(VolatileOp.addToSet("s", "m", 3));                 // version 5
        apply(VolatileOp.addToSet("s", "m", 3));                 // re-added at 6
        assertThat(apply(VolatileOp.expireMember("s", "m", 5))).isNull();
        assertThat(apply(VolatileOp.expireMember("s", "m", 6)).cause()).isEqualTo(VolatileEvent.Cause.EXPIRED);
    }

    @Test
    void replacingTheKeyspaceEmitsOneResyncEventPerChangedKey() {
        apply(VolatileOp.put("same", bytes("x"), 0));
        apply(VolatileOp.put("gone", bytes("y"), 0));
        TreeMap<String, VolatileValue> next = new TreeMap<>(Map.of(
                "same", store.get("same"),
                "new", VolatileValue.plain(bytes("z"), 9)));
        assertThat(store.replaceAll(next, 9, 2))
                .extracting(VolatileEvent::key, VolatileEvent::type, VolatileEvent::cause)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gone", OpType.DELETE, VolatileEvent.Cause.RESYNC),
                        org.assertj.core.groups.Tuple.tuple("new", OpType.PUT, VolatileEvent.Cause.RESYNC));
    }
}
