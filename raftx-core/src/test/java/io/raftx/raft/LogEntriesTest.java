package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log's entries with only a window of them in memory: what left memory is read back from the durable log, terms
 * are answered without reading it, and nothing that may still change (unapplied or not durable) ever leaves.
 */
class LogEntriesTest {

    /** A durable log that counts what the core read back from it. */
    private static final class CountingLog implements DurableEntries {
        final List<Entry> stored = new ArrayList<>();
        int reads;

        @Override
        public List<Entry> entries(long from, long toInclusive, long maxBytes) {
            reads++;
            List<Entry> out = new ArrayList<>();
            long bytes = 0;
            for (Entry e : stored) {
                if (e.index() < from || e.index() > toInclusive) {
                    continue;
                }
                bytes += e.sizeBytes();
                if (!out.isEmpty() && bytes > maxBytes) {
                    break;
                }
                out.add(e);
            }
            return out;
        }
    }

    private final CountingLog disk = new CountingLog();

    /** Entries 1..n, the term going up by one every {@code perTerm} entries; all also "durable". */
    private LogEntries logOf(int n, int perTerm, int recent) {
        LogEntries log = new LogEntries(0, 0, List.of(), disk, recent);
        for (int i = 1; i <= n; i++) {
            Entry e = new Entry(1 + (i - 1) / perTerm, i, EntryType.NORMAL, new byte[10]);
            disk.stored.add(e);
            log.add(e);
        }
        return log;
    }

    @Test
    void entriesLeaveMemoryInBatchesAndAreReadBackUnchanged() {
        LogEntries log = logOf(100, 7, 10);
        List<Entry> all = log.read(1, 100, 1000, Long.MAX_VALUE);
        assertThat(disk.reads).isZero();

        log.release(15); // 5 entries could leave, fewer than a batch of 10: nothing moves yet
        assertThat(log.copy(0, 3)).hasSize(3);
        log.release(60); // 50 leave, the last 10 applied stay
        assertThatThrownBy(() -> log.copy(0, 3)).isInstanceOf(IllegalStateException.class);
        assertThat(log.copy(50, 100)).isEqualTo(all.subList(50, 100));

        assertThat(log.read(1, 100, 1000, Long.MAX_VALUE)).isEqualTo(all);
        assertThat(disk.reads).isEqualTo(1);
        assertThat(log.get(20)).isEqualTo(all.get(19));
        for (long i = 0; i <= 100; i++) {
            assertThat(log.term(i)).as("term of %d", i).isEqualTo(i == 0 ? 0 : all.get((int) i - 1).term());
        }
        assertThat(disk.reads).as("terms never read the disk").isEqualTo(2);
        assertThat(log.term(101)).isZero();
    }

    @Test
    void readsAcrossTheBoundaryKeepTheEntryAndByteLimits() {
        LogEntries log = logOf(40, 5, 0);
        log.release(20);
        assertThat(indexes(log.read(15, 40, 10, Long.MAX_VALUE))).containsExactly(15L, 16L, 17L, 18L, 19L, 20L, 21L,
                22L, 23L, 24L);
        assertThat(indexes(log.read(18, 40, 100, 3 * 34))).containsExactly(18L, 19L, 20L);
        assertThat(indexes(log.read(19, 40, 100, 3 * 34))).as("the limit passed in memory").containsExactly(19L, 20L,
                21L);
        assertThat(indexes(log.read(20, 20, 100, 1))).as("one entry always fits").containsExactly(20L);
        assertThat(indexes(log.read(25, 26, 100, Long.MAX_VALUE))).containsExactly(25L, 26L);
    }

    @Test
    void truncationAndCompactionKeepTheTermsRight() {
        LogEntries log = logOf(30, 10, 0); // terms 1 (1-10), 2 (11-20), 3 (21-30)
        log.release(12);
        log.truncateFrom(15);
        log.add(new Entry(5, 15, EntryType.NORMAL, new byte[0]));
        assertThat(log.lastIndex()).isEqualTo(15);
        assertThat(log.term(10)).isEqualTo(1);
        assertThat(log.term(11)).isEqualTo(2);
        assertThat(log.term(14)).isEqualTo(2);
        assertThat(log.term(15)).isEqualTo(5);
        assertThatThrownBy(() -> log.truncateFrom(12)).as("applied entries never change")
                .isInstanceOf(IllegalStateException.class);

        log.compactTo(11);
        assertThat(log.offset()).isEqualTo(11);
        assertThat(log.term(11)).isEqualTo(2);
        assertThat(log.term(10)).isZero();
        assertThat(log.term(12)).isEqualTo(2);
        log.compactTo(14);
        assertThat(log.term(14)).isEqualTo(2);
        assertThat(log.get(14)).isNull();
        assertThat(log.get(15).term()).isEqualTo(5);
        assertThat(log.term(15)).isEqualTo(5);

        log.resetTo(40, 7);
        assertThat(log.lastIndex()).isEqualTo(40);
        assertThat(log.term(40)).isEqualTo(7);
        assertThat(log.term(15)).isZero();
    }

    @Test
    void withoutADurableLogEverythingStaysInMemory() {
        LogEntries log = new LogEntries(0, 0, List.of(new Entry(1, 1, EntryType.NORMAL, new byte[1])), null, 0);
        log.release(1);
        assertThat(log.copy(0, 1)).hasSize(1);
    }

    private static List<Long> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }
}
