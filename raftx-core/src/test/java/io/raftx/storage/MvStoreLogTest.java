package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.raftx.storage.RaftStorageContractTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** How {@link MvStoreLog} deletes a truncated prefix: by rebuilding the map or key by key. */
class MvStoreLogTest {

    private final MVStore store = MVStore.open(null); // in memory: the map's behaviour, not the file's
    private final MVMap<Long, byte[]> map = MvStoreFile.openLogMap(store);

    @AfterEach
    void close() {
        store.close();
    }

    private MvStoreLog log(long maxRebuildBytes) {
        return new MvStoreLog(Path.of("test"), map, LogStart.INITIAL, false, new MvStoreFailure(Path.of("test"), store),
                maxRebuildBytes);
    }

    @Test
    void aPrefixLargerThanTheLiveLogIsDroppedAtOnceAndTheLiveEntriesStayAsTheyWere() {
        MvStoreLog log = log(MvStoreLog.MAX_REBUILD_BYTES);
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(901, 1);
        log.removeGarbage(10);
        assertThat(log.storedKeys()).isEqualTo(100);
        assertThat(map.firstKey()).isEqualTo(901L);
        assertThat(log.readRange(901, 1_000, Long.MAX_VALUE)).isEqualTo(run(901, 1_000, 1));
        log.stageAppend(run(1_001, 1_010, 2));
        assertThat(log.readRange(995, 1_010, Long.MAX_VALUE)).hasSize(16).last().extracting(Entry::term)
                .isEqualTo(2L);
    }

    @Test
    void aPrefixSmallerThanTheLiveLogGoesKeyByKeyInBatches() {
        MvStoreLog log = log(MvStoreLog.MAX_REBUILD_BYTES);
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(401, 1);
        log.removeGarbage(100);
        assertThat(log.storedKeys()).isEqualTo(900);
        assertThat(map.firstKey()).isEqualTo(101L);
        log.removeGarbage(1_000);
        assertThat(log.storedKeys()).isEqualTo(600);
        assertThat(log.readRange(401, 1_000, Long.MAX_VALUE)).isEqualTo(run(401, 1_000, 1));
    }

    @Test
    void liveEntriesTooLargeToHoldInMemoryAreNotCopiedAndThePrefixGoesKeyByKey() {
        MvStoreLog log = log(1_000); // a few records' worth of bytes
        log.stageAppend(run(1, 1_000, 1));
        log.startAt(901, 1);
        log.removeGarbage(100);
        assertThat(log.storedKeys()).isEqualTo(900);
        log.removeGarbage(1_000);
        assertThat(log.storedKeys()).isEqualTo(100);
        assertThat(log.readRange(901, 1_000, Long.MAX_VALUE)).isEqualTo(run(901, 1_000, 1));
    }

    @Test
    void anEmptyLiveLogAfterAResetClearsTheMap() {
        MvStoreLog log = log(MvStoreLog.MAX_REBUILD_BYTES);
        log.stageAppend(run(1, 500, 1));
        log.removeForReset(700);
        log.resetTo(700, 3);
        log.removeGarbage(10);
        assertThat(log.storedKeys()).isZero();
        log.stageAppend(run(701, 705, 3));
        assertThat(log.readRange(701, 705, Long.MAX_VALUE)).isEqualTo(run(701, 705, 3));
    }
}
