package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MvStoreRaftStorageTest extends RaftStorageContractTest {

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("node").resolve("raft.mv");
    }

    @Override
    protected RaftStorage create() {
        return MvStoreRaftStorage.open(file());
    }

    @Override
    protected RaftStorage reopen(RaftStorage old) {
        old.close();
        return MvStoreRaftStorage.open(file());
    }

    MvStoreRaftStorage mv() {
        return (MvStoreRaftStorage) storage;
    }

    @Test
    void createsTheFileAndItsDirectories() {
        assertThat(file()).isRegularFile();
        assertThat(mv().file()).isEqualTo(file().toAbsolutePath());
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefused() {
        assertThatThrownBy(() -> MvStoreRaftStorage.open(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("locked");
    }

    @Test
    void refusesAnMVStoreFileThatIsNotRaftxStorage() {
        Path other = dir.resolve("other.mv");
        MVStore s = MVStore.open(other.toString());
        s.openMap("something").put("k", "v");
        s.close();
        assertThatThrownBy(() -> MvStoreRaftStorage.open(other))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining("not RaftX storage");
    }

    @Test
    void refusesAFileThatIsNotAnMVStore() throws Exception {
        Path junk = dir.resolve("junk.mv");
        byte[] bytes = new byte[20_000];
        new SplittableRandom(1).nextBytes(bytes);
        Files.write(junk, bytes);
        assertThatThrownBy(() -> MvStoreRaftStorage.open(junk))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(junk.toString())
                .hasMessageContaining("corrupt")
                .hasMessageContaining("re-add this node");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> MvStoreRaftStorage.open(dir))
                .isInstanceOf(StorageException.class).hasMessageContaining("is a directory");
    }

    @Test
    void aClosedStorageRejectsCalls() {
        storage.close();
        storage.close(); // idempotent
        assertThatThrownBy(() -> storage.log().lastIndex()).isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> storage.persist(null, run(1, 1, 1))).isInstanceOf(StorageException.class);
        storage = MvStoreRaftStorage.open(file());
    }

    @Test
    void aFileThatWasNotClosedCleanlyIsReplacedByACopyOfWhatWasRecovered() throws Exception {
        storage.persist(new HardState(3, "b", 40), run(1, 50, 3));
        mv().closeWithoutWriting();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
        long inode = (long) Files.getAttribute(file(), "unix:ino");
        storage = MvStoreRaftStorage.open(file());
        assertThat((long) Files.getAttribute(file(), "unix:ino")).as("a new file").isNotEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(file().resolveSibling("raft.mv.recovered")).doesNotExist();
        assertThat(storage.log().entries(1, 50)).isEqualTo(run(1, 50, 3));
        assertThat(storage.hardState().load()).isEqualTo(new HardState(3, "b", 40));
        storage.persist(null, run(51, 60, 3)); // and it takes writes
        storage.close();
        inode = (long) Files.getAttribute(file(), "unix:ino");
        storage = MvStoreRaftStorage.open(file());
        assertThat((long) Files.getAttribute(file(), "unix:ino")).as("a cleanly closed file stays").isEqualTo(inode);
        assertThat(storage.log().entries(1, 60)).isEqualTo(run(1, 60, 3));
    }

    @Test
    void aFailedRewriteAfterACrashSaysWhyAndLeavesTheFileAsItWas() throws Exception {
        storage.persist(new HardState(2, "a", 5), run(1, 10, 2));
        mv().closeWithoutWriting();
        byte[] before = Files.readAllBytes(file());
        Path blocker = file().resolveSibling("raft.mv.recovered");
        Files.createDirectories(blocker.resolve("not-empty")); // cannot be deleted or written as a file
        assertThatThrownBy(() -> MvStoreRaftStorage.open(file())).isInstanceOf(StorageException.class)
                .hasMessageContaining("after a crash").hasMessageContaining("the file itself is unchanged");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        Files.delete(blocker.resolve("not-empty"));
        Files.delete(blocker);
        storage = MvStoreRaftStorage.open(file());
        assertThat(storage.log().entries(1, 10)).isEqualTo(run(1, 10, 2));
        assertThat(storage.hardState().load()).isEqualTo(new HardState(2, "a", 5));
    }

    @Test
    void stagedChangesAreReadableBeforeTheySync() {
        storage.log().append(run(1, 5, 1));
        assertThat(storage.log().entries(1, 5)).isEqualTo(run(1, 5, 1));
        long commits = mv().commits();
        storage.log().sync();
        assertThat(mv().commits()).isEqualTo(commits + 1);
        storage.log().sync(); // nothing new: no commit
        assertThat(mv().commits()).isEqualTo(commits + 1);
    }

    @Test
    void onePersistIsOneCommit() {
        long commits = mv().commits();
        storage.log().truncatePrefix(0);
        storage.persist(new HardState(1, "a", 0), run(1, 100, 1));
        assertThat(mv().commits()).isEqualTo(commits + 1);
    }

    @Test
    void aTruncatedPrefixGoesOneWholeSegmentPerCommit() throws Exception {
        storage.close();
        MvStoreRaftStorage.Options options = new MvStoreRaftStorage.Options(4, 1000, 50, 1000);
        storage = MvStoreRaftStorage.open(file(), options);
        for (int i = 0; i < 10; i++) {
            storage.persist(null, run(i * 1000L + 1, (i + 1) * 1000L, 1));
        }
        assertThat(mv().storedKeys()).isEqualTo(10_000);
        storage.log().truncatePrefix(3_500);
        storage.log().sync();
        assertThat(mv().storedKeys()).isEqualTo(9_000); // one segment per commit
        storage.persist(null, run(10_001, 10_001, 1));
        assertThat(mv().storedKeys()).isEqualTo(8_001);
        storage.persist(null, run(10_002, 10_002, 1));
        storage.persist(null, run(10_003, 10_003, 1));
        // [3001, 4000] holds the start: it stays until it is wholly behind a later start
        assertThat(mv().storedKeys()).isEqualTo(7_003);
        storage.close();
        storage = MvStoreRaftStorage.open(file(), options);
        assertThat(storage.log().firstIndex()).isEqualTo(3_501);
        assertThat(mv().storedKeys()).isEqualTo(7_003);
        assertThat(storage.log().entries(3_501, 10_003)).isEqualTo(run(3_501, 10_003, 1));
        storage.log().truncatePrefix(4_000);
        storage.persist(null, run(10_004, 10_004, 1));
        assertThat(mv().storedKeys()).isEqualTo(6_004);
        assertThat(storage.log().entries(4_001, 10_004)).isEqualTo(run(4_001, 10_004, 1));
    }

    @Test
    void aTruncatedPrefixLargerThanTheLogGoesOnCloseAndTheLogSurvivesAReopen() throws Exception {
        storage.close();
        MvStoreRaftStorage.Options options = new MvStoreRaftStorage.Options(4, 1000, 50, 1000);
        storage = MvStoreRaftStorage.open(file(), options);
        for (int i = 0; i < 10; i++) {
            storage.persist(null, run(i * 1000L + 1, (i + 1) * 1000L, 1));
        }
        storage.log().truncatePrefix(9_500);
        storage.persist(null, run(10_001, 10_010, 1));
        assertThat(mv().storedKeys()).isEqualTo(9_010); // one of the nine segments below the start went
        storage.close(); // drops the other eight
        storage = MvStoreRaftStorage.open(file(), options);
        assertThat(storage.log().firstIndex()).isEqualTo(9_501);
        assertThat(storage.log().lastIndex()).isEqualTo(10_010);
        assertThat(mv().storedKeys()).isEqualTo(1_010);
        assertThat(storage.log().entries(9_501, 10_010)).isEqualTo(run(9_501, 10_010, 1));
        storage.persist(null, run(10_011, 10_020, 1));
        assertThat(storage.log().entries(10_005, 10_020)).isEqualTo(run(10_005, 10_020, 1));
    }

    @Test
    void housekeepingKeepsTheFileSmallWhileTheLogIsTruncated() throws Exception {
        storage.close();
        // segments of 1,000 entries: the truncated prefix goes in steps like the truncation's
        storage = MvStoreRaftStorage.open(file(), new MvStoreRaftStorage.Options(16, 64, 50, 1000));
        byte[] data = new byte[256];
        long index = 0;
        long maxSize = 0;
        for (int batch = 0; batch < 4000; batch++) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                entries.add(new Entry(1, ++index, EntryType.NORMAL, data));
            }
            storage.persist(new HardState(1, "a", index - 8), entries);
            if (index % 2000 == 0) {
                storage.log().truncatePrefix(index - 1000);
            }
            maxSize = Math.max(maxSize, mv().fileSize());
        }
        System.out.printf("housekeeping test: largest file %d B, fill rate %d%%, chunks fill rate %d%%%n",
                maxSize, mv().fillRate(), mv().chunksFillRate());
        // 32,000 entries of 256 B went through; about 1,000 to 3,000 are live at any time, and at most one
        // segment's truncated prefix is kept (under 1.5 MB in all)
        assertThat(storage.log().lastIndex()).isEqualTo(32_000);
        assertThat(maxSize).as("largest file size").isLessThan(16L << 20);
        storage.close();
        long closedSize = Files.size(file());
        System.out.printf("housekeeping test: file after close %d B%n", closedSize);
        assertThat(closedSize).as("file size after close").isLessThan(4L << 20);
        storage = MvStoreRaftStorage.open(file());
        assertThat(storage.log().entries(storage.log().firstIndex(), 32_000)).hasSize(1000);
    }

    private static final MVMap.Builder<String, byte[]> STATE = new MVMap.Builder<String, byte[]>()
            .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);

    @Test
    void aFileWithOneLogMapIsReadAndMarkedAsTheNewFormatAndANewerFormatIsRefused() throws Exception {
        storage.close();
        Files.delete(file());
        try (MVStore old = new MVStore.Builder().fileName(file().toString()).open()) {
            MVMap<String, byte[]> state = old.openMap("raftx.state", STATE);
            state.put("format", new byte[]{1});
            state.put("hardState", RecordCodec.encodeHardState(new HardState(2, "b", 90)));
            MVMap<Long, byte[]> log = LogSegments.open(old, LogSegments.LEGACY_NAME);
            for (Entry e : run(1, 100, 2)) {
                log.put(e.index(), RecordCodec.encodeEntry(e));
            }
            old.commit();
        }
        storage = MvStoreRaftStorage.open(file());
        assertThat(storage.log().entries(1, 100)).isEqualTo(run(1, 100, 2));
        storage.persist(new HardState(2, "b", 100), run(101, 110, 2)); // into the old map: it is the last segment
        storage.close();
        storage = MvStoreRaftStorage.open(file());
        assertThat(storage.log().entries(1, 110)).isEqualTo(run(1, 110, 2));
        storage.close();
        try (MVStore reopened = new MVStore.Builder().fileName(file().toString()).open()) {
            MVMap<String, byte[]> state = reopened.openMap("raftx.state", STATE);
            assertThat(state.get("format")).containsExactly(2);
            state.put("format", new byte[]{3});
            reopened.commit();
        }
        assertThatThrownBy(() -> MvStoreRaftStorage.open(file())).isInstanceOf(StorageException.class)
                .hasMessageContaining("has format version 3, this build reads versions 1 and 2");
        Files.delete(file());
        storage = MvStoreRaftStorage.open(file()); // for the class's tear-down
    }
}
