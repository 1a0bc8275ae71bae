package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.raftx.storage.RaftStorageContractTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link MvStoreLog} spreads the log over {@link LogSegments} and drops a truncated prefix. */
class MvStoreLogTest {

    private static final Path FILE = Path.of("test");

    private final MVStore store = MVStore.open(null); // in memory: the maps' behaviour, not the file's
    private final LogSegments segments = new LogSegments(store, 100);

    @AfterEach
    void close() {
        store.close();
    }

    private MvStoreLog log(LogSegments segments) {
        return new MvStoreLog(FILE, segments, LogStart.INITIAL, false, new MvStoreFailure(FILE, store));
    }

    @Test
    void aTruncatedPrefixGoesAWholeSegmentAtATimeAndTheLiveEntriesStayAsTheyWere() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 1_000, 1));
        assertThat(segments.segmentCount()).isEqualTo(10);
        log.startAt(451, 1);
        log.removeGarbage(Integer.MAX_VALUE);
        // [1, 400] went as four maps; [401, 500] holds the new start and stays whole
        assertThat(log.storedKeys()).isEqualTo(600);
        assertThat(segments.segmentCount()).isEqualTo(6);
        assertThat(log.readRange(451, 1_000, Long.MAX_VALUE)).isEqualTo(run(451, 1_000, 1));
        log.stageAppend(run(1_001, 1_010, 2));
        assertThat(log.readRange(995, 1_010, Long.MAX_VALUE)).hasSize(16).last().extracting(Entry::term)
                .isEqualTo(2L);
        assertThat(store.getMapNames()).contains("raftx.log.5", "raftx.log.11").doesNotContain("raftx.log.4");
    }

    @Test
    void eachCallDropsAtMostTheGivenNumberOfSegments() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(951, 1);
        log.removeGarbage(1);
        assertThat(segments.firstKey()).isEqualTo(101L);
        log.removeGarbage(3);
        assertThat(segments.firstKey()).isEqualTo(401L);
        log.removeGarbage(100);
        assertThat(segments.firstKey()).isEqualTo(901L);
        log.removeGarbage(100);
        assertThat(log.storedKeys()).isEqualTo(100);
        assertThat(log.readRange(951, 1_000, Long.MAX_VALUE)).isEqualTo(run(951, 1_000, 1));
    }

    @Test
    void aConflictingSuffixIsRemovedAcrossSegmentsAndTheLogGrowsOnFromThere() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 250, 1));
        log.stageAppend(run(120, 130, 2));
        assertThat(log.lastIndex()).isEqualTo(130);
        assertThat(log.storedKeys()).isEqualTo(130);
        assertThat(segments.segmentCount()).isEqualTo(2); // [201, 250] went whole
        log.stageAppend(run(131, 260, 2));
        assertThat(log.readRange(1, 260, Long.MAX_VALUE)).isEqualTo(concat(run(1, 119, 1), run(120, 260, 2)));
        assertThat(segments.segmentCount()).isEqualTo(3); // [101, 200] filled up, then a new one from 201
    }

    @Test
    void anEmptyLiveLogAfterAResetRemovesEverySegment() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 500, 1));
        log.removeForReset(700);
        log.resetTo(700, 3);
        log.removeGarbage(Integer.MAX_VALUE);
        assertThat(log.storedKeys()).isZero();
        assertThat(segments.segmentCount()).isZero();
        assertAppendsAndReadsBack(log, 701, 705, 3);
    }

    @Test
    void aResetInsideTheLogRemovesTheKeysAboveItAtOnceAndTheRestWithTheirSegment() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(801, 1);
        log.removeGarbage(Integer.MAX_VALUE);
        assertThat(log.storedKeys()).isEqualTo(200);
        log.removeForReset(850);
        log.resetTo(850, 1);
        assertThat(log.storedKeys()).isEqualTo(50); // [801, 850], below the new start
        log.removeGarbage(Integer.MAX_VALUE);
        assertThat(log.storedKeys()).isZero();
        assertAppendsAndReadsBack(log, 851, 860, 2);
    }

    @Test
    void aResetToASnapshotBehindTheLogsStartRemovesTheKeysAboveTheSnapshot() {
        MvStoreLog log = log(segments);
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(851, 1);
        log.removeForReset(500);
        log.resetTo(500, 1);
        assertThat(log.storedKeys()).isEqualTo(500); // [1, 500]: behind the new start, dropped with the next commit
        log.removeGarbage(Integer.MAX_VALUE);
        assertThat(log.storedKeys()).isZero();
        assertAppendsAndReadsBack(log, 501, 510, 2);
    }

    @Test
    void aFileFromBeforeSegmentsIsReadWithItsOneMapAsTheFirstSegment() {
        MVMap<Long, byte[]> legacy = LogSegments.open(store, LogSegments.LEGACY_NAME);
        List<Entry> old = run(1, 300, 1);
        for (Entry e : old) {
            legacy.put(e.index(), RecordCodec.encodeEntry(e));
        }
        LogSegments withOldMap = new LogSegments(store, 100);
        MvStoreLog log = new MvStoreLog(FILE, withOldMap, LogStart.INITIAL, true, new MvStoreFailure(FILE, store));
        assertThat(log.lastIndex()).isEqualTo(300);
        log.stageAppend(run(301, 320, 2));
        assertThat(store.getMapNames()).contains("raftx.log.1");
        assertThat(log.readRange(1, 320, Long.MAX_VALUE)).isEqualTo(concat(old, run(301, 320, 2)));
        log.startAt(301, 1);
        log.removeGarbage(Integer.MAX_VALUE);
        assertThat(store.getMapNames()).doesNotContain(LogSegments.LEGACY_NAME);
        assertThat(log.storedKeys()).isEqualTo(20);
    }

    @Test
    void mapsWithOverlappingKeysAreRefused() {
        LogSegments.open(store, "raftx.log.1").put(5L, new byte[1]);
        LogSegments.open(store, "raftx.log.2").put(3L, new byte[1]);
        LogSegments.open(store, "raftx.log.2").put(7L, new byte[1]);
        assertThatThrownBy(() -> new LogSegments(store, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("overlap");
    }

    @Test
    void mapsStartingAtTheSameKeyAreRefused() {
        LogSegments.open(store, "raftx.log.1").put(5L, new byte[1]);
        LogSegments.open(store, "raftx.log.2").put(5L, new byte[1]);
        assertThatThrownBy(() -> new LogSegments(store, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("overlap at key 5");
    }

    @Test
    void aMissingEntryInsideTheLogIsReportedAsDamage() {
        log(segments).stageAppend(run(1, 250, 1));
        LogSegments.open(store, "raftx.log.2").remove(150L);
        assertThatThrownBy(() -> log(new LogSegments(store, 100))).isInstanceOf(StorageException.class)
                .hasMessageContaining("missing entries");
    }

    private static void assertAppendsAndReadsBack(MvStoreLog log, long from, long to, long term) {
        log.stageAppend(run(from, to, term));
        assertThat(log.readRange(from, to, Long.MAX_VALUE)).isEqualTo(run(from, to, term));
    }

    private static List<Entry> concat(List<Entry> a, List<Entry> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
