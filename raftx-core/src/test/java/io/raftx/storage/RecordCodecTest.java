package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {

    static final List<Entry> SAMPLES = List.of(
            Entry.noop(1, 1),
            new Entry(1, 2, EntryType.NORMAL, new byte[0]),
            new Entry(7, 300, EntryType.NORMAL, "hello".getBytes()),
            new Entry(Long.MAX_VALUE, Long.MAX_VALUE, EntryType.NORMAL, bytes(256, 1)),
            new Entry(3, 1L << 40, EntryType.NORMAL, bytes(70_000, 2)),
            new Entry(4, 9, EntryType.CONFIG, new io.raftx.raft.Membership(java.util.Set.of("a", "b"), java.util.Set.of("c"),
                    java.util.Map.of("c", "127.0.0.1:7103")).encode()));

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void entriesRoundTrip() throws Exception {
        for (Entry e : SAMPLES) {
            assertThat(RecordCodec.decodeEntry(e.index(), RecordCodec.encodeEntry(e))).isEqualTo(e);
        }
    }

    @Test
    void entryRecordsAreCompact() {
        // version, type, term (1 byte up to 127), length (2 bytes up to 16383), data, CRC
        assertThat(RecordCodec.encodeEntry(new Entry(5, 1000, EntryType.NORMAL, new byte[256]))).hasSize(265);
        assertThat(RecordCodec.encodeEntry(Entry.noop(5, 1000))).hasSize(8);
    }

    @Test
    void everyFlippedBitOfAnEntryIsDetected() {
        for (Entry e : SAMPLES.subList(0, 4)) {
            byte[] record = RecordCodec.encodeEntry(e);
            for (int bit = 0; bit < record.length * 8; bit++) {
                byte[] damaged = record.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> RecordCodec.decodeEntry(e.index(), damaged))
                        .isInstanceOf(CorruptRecordException.class);
            }
        }
    }

    @Test
    void anEntryUnderTheWrongIndexTruncatedOrExtendedIsDetected() {
        Entry e = new Entry(2, 10, EntryType.NORMAL, bytes(100, 3));
        byte[] record = RecordCodec.encodeEntry(e);
        assertThatThrownBy(() -> RecordCodec.decodeEntry(11, record))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("checksum");
        for (int len = 0; len < record.length; len++) {
            byte[] cut = Arrays.copyOf(record, len);
            assertThatThrownBy(() -> RecordCodec.decodeEntry(10, cut)).isInstanceOf(CorruptRecordException.class);
        }
        byte[] longer = Arrays.copyOf(record, record.length + 1);
        assertThatThrownBy(() -> RecordCodec.decodeEntry(10, longer)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> RecordCodec.decodeEntry(10, null)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void hardStateRoundTripsAndIsChecked() throws Exception {
        for (HardState hs : List.of(HardState.EMPTY, new HardState(3, "node-a", 17),
                new HardState(Long.MAX_VALUE, "ünïcødé-ñødé", Long.MAX_VALUE), new HardState(1, "", 0))) {
            byte[] record = RecordCodec.encodeHardState(hs);
            assertThat(RecordCodec.decodeHardState(record)).isEqualTo(hs);
            for (int bit = 0; bit < record.length * 8; bit++) {
                byte[] damaged = record.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> RecordCodec.decodeHardState(damaged))
                        .isInstanceOf(CorruptRecordException.class);
            }
        }
    }

    @Test
    void logStartRoundTripsAndRecordKindsAreNotInterchangeable() throws Exception {
        LogStart start = new LogStart(1001, 42);
        byte[] record = RecordCodec.encodeLogStart(start);
        assertThat(RecordCodec.decodeLogStart(record)).isEqualTo(start);
        // a log start record is not a hard state record, though both hold two numbers
        assertThatThrownBy(() -> RecordCodec.decodeHardState(record)).isInstanceOf(CorruptRecordException.class);
        byte[] hs = RecordCodec.encodeHardState(new HardState(1001, null, 42));
        assertThatThrownBy(() -> RecordCodec.decodeLogStart(hs)).isInstanceOf(CorruptRecordException.class);
    }
}
