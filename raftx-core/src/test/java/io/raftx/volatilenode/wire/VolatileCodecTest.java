package io.raftx.volatilenode.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.volatiles.HistoryTransfer;
import io.raftx.volatiles.OpType;
import io.raftx.volatiles.SequencedOp;
import io.raftx.volatiles.VolatileMessage;
import io.raftx.volatiles.VolatileMessageType;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileSnapshot;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VolatileCodecTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SequencedOp> ops(long after, long epoch) {
        return List.of(
                new SequencedOp(after + 1, epoch, VolatileOp.put("a.b", bytes("v"), 30)),
                new SequencedOp(after + 2, epoch, VolatileOp.putIfAbsent("lock", bytes("owner-ü"), 5)),
                new SequencedOp(after + 3, epoch + 2, VolatileOp.addToSet("s", "m1", 0)),
                new SequencedOp(after + 4, epoch + 2, VolatileOp.removeFromSet("s", "m1").onlyIfVersion(after + 3)),
                new SequencedOp(after + 5, epoch + 2, new VolatileOp(OpType.DELETE, "a.b", null, null, 0, after + 1, true)),
                new SequencedOp(after + 6, epoch + 2, VolatileOp.put("empty", new byte[0], 0)));
    }

    private static VolatileSnapshot snapshot() {
        TreeMap<String, VolatileValue> entries = new TreeMap<>();
        entries.put("plain", VolatileValue.plain(bytes("x"), 7));
        entries.put("set", VolatileValue.set(Map.of("m1", 3L, "m2", 9L), 9));
        return new VolatileSnapshot(9, 2, entries, List.of(new VolatileSnapshot.Ttl("plain", null, 7, 12),
                new VolatileSnapshot.Ttl("set", "m2", 9, 0)));
    }

    static List<VolatileMessage> samples() {
        return List.of(
                new VolatileMessage(VolatileMessageType.HEARTBEAT, "n1", "n2", 4, 0, 17, 0, 0, null, 99, false),
                new VolatileMessage(VolatileMessageType.STATUS, "n2", "n1", 4, -8_123_456_789L, 17, 3, 20, null, 99, true),
                new VolatileMessage(VolatileMessageType.FETCH, "n1", "n3", 4, 0, 0, 0, 0,
                        new HistoryTransfer(17, 3, null, List.of()), 0, false),
                new VolatileMessage(VolatileMessageType.FETCH_RESPONSE, "n3", "n1", 4, Long.MIN_VALUE, 17, 3, 23, 
                        new HistoryTransfer(17, 3, null, ops(17, 3)), 0, false),
                new VolatileMessage(VolatileMessageType.SYNC, "n1", "n2", 4, Long.MAX_VALUE, 9, 0, 0,
                        new HistoryTransfer(9, 2, snapshot(), ops(9, 2)), 0, false),
                new VolatileMessage(VolatileMessageType.APPEND, "n1", "n2", 4, 42, 15, 0, 0,
                        new HistoryTransfer(15, 2, null, ops(15, 2)), 0, false));
    }

    @Test
    void everyMessageTypeRoundTrips() {
        for (VolatileMessage m : samples()) {
            assertThat(VolatileCodec.decode(VolatileCodec.encode(m))).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void opsInATransferCostAFewBytesEach() {
        List<SequencedOp> many = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            many.add(new SequencedOp(i, 1, VolatileOp.delete("k" + (i % 10))));
        }
        VolatileMessage m = new VolatileMessage(VolatileMessageType.APPEND, "n1", "n2", 1, 1, 0, 0, 0,
                new HistoryTransfer(0, 0, null, many), 0, false);
        byte[] encoded = VolatileCodec.encode(m);
        assertThat(encoded.length).isLessThanOrEqualTo(1000 * 9 + 64); // gap, step, type, flags, key (3), ttl, condition
        assertThat(VolatileCodec.decode(encoded)).isEqualTo(m);
    }

    @Test
    void everyTruncationFailsWithAMalformedFrameError() {
        for (VolatileMessage m : samples()) {
            byte[] encoded = VolatileCodec.encode(m);
            for (int n = 0; n < encoded.length; n++) {
                byte[] cut = java.util.Arrays.copyOf(encoded, n);
                assertThatThrownBy(() -> VolatileCodec.decode(cut)).as("%s cut at %d", m.type(), n)
                        .isInstanceOf(MalformedFrameException.class);
            }
        }
    }

    @Test
    void corruptBytesNeverEscapeAsAnythingButAMalformedFrameError() {
        SplittableRandom random = new SplittableRandom(7);
        for (VolatileMessage m : samples()) {
            byte[] encoded = VolatileCodec.encode(m);
            for (int trial = 0; trial < 2000; trial++) {
                byte[] bad = encoded.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
                try {
                    VolatileCodec.decode(bad); // may decode to another valid message: the core judges it then
                } catch (MalformedFrameException expected) {
                    assertThat(expected.getMessage()).startsWith("malformed volatile message at byte");
                }
            }
        }
    }

    @Test
    void malformedInputGetsAClearError() {
        byte[] heartbeat = VolatileCodec.encode(samples().get(0));
        byte[] wrongVersion = heartbeat.clone();
        wrongVersion[0] = 9;
        assertThatThrownBy(() -> VolatileCodec.decode(wrongVersion)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("version 9 is not supported");
        byte[] wrongType = heartbeat.clone();
        wrongType[1] = 42;
        assertThatThrownBy(() -> VolatileCodec.decode(wrongType)).hasMessageContaining("message type")
                .hasMessageContaining("unknown code 42");
        byte[] trailing = java.util.Arrays.copyOf(heartbeat, heartbeat.length + 1);
        assertThatThrownBy(() -> VolatileCodec.decode(trailing)).hasMessageContaining("trailing");
        assertThatThrownBy(() -> VolatileCodec.decode(new byte[0])).hasMessageContaining("format version");
        // A huge op count in a tiny frame must not allocate anything.
        byte[] fetch = VolatileCodec.encode(samples().get(2));
        byte[] hugeCount = fetch.clone();
        hugeCount[hugeCount.length - 1] = (byte) 0x7f;
        byte[] withCount = java.util.Arrays.copyOf(hugeCount, hugeCount.length);
        assertThatThrownBy(() -> VolatileCodec.decode(withCount)).hasMessageContaining("op count");
    }

    @Test
    void recordInvariantsAreCheckedWhileDecoding() {
        // A PUT with an expiry flag is not a valid op: the codec reports it instead of building it.
        byte[] put = VolatileCodec.encodeOp(VolatileOp.put("k", bytes("v"), 0));
        put[1] = 1; // the expiry flag
        assertThatThrownBy(() -> VolatileCodec.decodeOp(put)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("expiry");
        byte[] unknownFlag = VolatileCodec.encodeOp(VolatileOp.delete("k"));
        unknownFlag[1] = 4;
        assertThatThrownBy(() -> VolatileCodec.decodeOp(unknownFlag)).hasMessageContaining("unknown flag bits");
        byte[] badUtf8 = VolatileCodec.encodeOp(VolatileOp.delete("k"));
        badUtf8[3] = (byte) 0xff;
        assertThatThrownBy(() -> VolatileCodec.decodeOp(badUtf8)).hasMessageContaining("UTF-8");
    }
}
