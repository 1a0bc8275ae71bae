package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A file damaged after the fact (garbage at the end, cut short, bytes flipped) is either recovered to the state
 * after one of the batches that were committed, or rejected with a {@link StorageException} that names the file;
 * never opened half-applied or with wrong content.
 */
class MvStoreDamageTest {

    static final int BATCHES = 60;
    static final int BATCH = 20;

    @TempDir
    Path dir;

    Path original;
    /** {@code states.get(b)}: the state after batch b (0: empty). */
    final List<Snapshot> states = new ArrayList<>();

    record Snapshot(long lastIndex, HardState hs) {
    }

    static Entry entry(long index, long term) {
        return new Entry(term, index, EntryType.NORMAL, RaftStorageContractTest.payload(index, term));
    }

    static long termOf(long index) {
        return (index - 1) / BATCH + 1;
    }

    void write(boolean cleanClose) {
        original = dir.resolve("original.mv");
        MvStoreRaftStorage s = MvStoreRaftStorage.open(original);
        states.add(new Snapshot(0, HardState.EMPTY));
        for (int b = 1; b <= BATCHES; b++) {
            List<Entry> batch = new ArrayList<>();
            for (long i = (long) (b - 1) * BATCH + 1; i <= (long) b * BATCH; i++) {
                batch.add(entry(i, termOf(i)));
            }
            HardState hs = new HardState(b, "n" + b, (long) b * BATCH - 3);
            s.persist(hs, batch);
            states.add(new Snapshot((long) b * BATCH, hs));
        }
        if (cleanClose) {
            s.close();
        } else {
            s.closeWithoutWriting();
        }
    }

    /** The file before and after the last of {@link #BATCHES} commits, and the 512-byte sectors that differ. */
    record LastCommit(byte[] before, byte[] after, List<Integer> changedSectors) {
        static final int SECTOR = 512;
    }

    LastCommit lastCommit() throws IOException {
        Path before = dir.resolve("before.mv");
        original = dir.resolve("original.mv");
        MvStoreRaftStorage s = MvStoreRaftStorage.open(original);
        states.add(new Snapshot(0, HardState.EMPTY));
        for (int b = 1; b <= BATCHES; b++) {
            if (b == BATCHES) {
                Files.copy(original, before, StandardCopyOption.REPLACE_EXISTING);
            }
            List<Entry> batch = new ArrayList<>();
            for (long i = (long) (b - 1) * BATCH + 1; i <= (long) b * BATCH; i++) {
                batch.add(entry(i, termOf(i)));
            }
            HardState hs = new HardState(b, "n" + b, (long) b * BATCH - 3);
            s.persist(hs, batch);
            states.add(new Snapshot((long) b * BATCH, hs));
        }
        s.closeWithoutWriting();
        byte[] a = Files.readAllBytes(before);
        byte[] b = Files.readAllBytes(original);
        List<Integer> changed = new ArrayList<>();
        for (int off = 0; off < b.length; off += LastCommit.SECTOR) {
            int end = Math.min(off + LastCommit.SECTOR, b.length);
            if (off >= a.length || !Arrays.equals(a, off, Math.min(end, a.length), b, off, end)) {
                changed.add(off);
            }
        }
        assertThat(changed).isNotEmpty();
        return new LastCommit(a, b, changed);
    }

    /** The old file, extended to the new length with zeros or garbage, plus the given new sectors. */
    Path torn(LastCommit c, List<Integer> landed, boolean garbageTail, SplittableRandom rnd, String name)
            throws IOException {
        byte[] torn = Arrays.copyOf(c.before(), c.after().length);
        if (garbageTail) {
            for (int i = c.before().length; i < torn.length; i++) {
                torn[i] = (byte) rnd.nextInt(256);
            }
        }
        for (int off : landed) {
            System.arraycopy(c.after(), off, torn, off, Math.min(LastCommit.SECTOR, c.after().length - off));
        }
        Path file = dir.resolve(name);
        Files.write(file, torn);
        return file;
    }

    /**
     * A crash in the middle of the last commit's write, which reached the disk in order (a prefix of it: the new
     * chunk first, then the file header), must open as the commit before or the last commit. This is the property
     * MVStore's chunk format is relied on for.
     */
    @Test
    void aLastCommitCutShortRecoversToTheCommitBeforeOrAfterIt() throws Exception {
        LastCommit c = lastCommit();
        // MVStore writes the chunk, then (sometimes) the header in blocks 0 and 1
        List<Integer> order = new ArrayList<>();
        c.changedSectors().stream().filter(off -> off >= 8192).forEach(order::add);
        c.changedSectors().stream().filter(off -> off < 8192).forEach(order::add);
        SplittableRandom rnd = new SplittableRandom(5);
        int older = 0;
        int newer = 0;
        for (int n = 0; n < order.size(); n++) {
            Path file = torn(c, order.subList(0, n), n % 2 == 1, rnd, "prefix-" + n + ".mv");
            int recovered = openAndCheck(file);
            assertThat(recovered).as("%d of %d sectors written; %s", n, order.size(),
                    recovered < 0 ? lastRejection : "").isIn(BATCHES - 1, BATCHES);
            if (recovered == BATCHES) {
                newer++;
            } else {
                older++;
            }
        }
        System.out.printf("last commit cut short (%d sectors): %d recovered the commit before, %d the last%n",
                order.size(), older, newer);
    }

    /**
     * A power loss on a disk that reorders writes can persist any subset of the last commit's sectors. MVStore only
     * checks a chunk's header and footer, so it may open a chunk that misses sectors in between: the storage must
     * then refuse with a clear error, never hand out wrong data.
     */
    @Test
    void aLastCommitWithSectorsMissingRecoversOrIsRejected() throws Exception {
        LastCommit c = lastCommit();
        SplittableRandom rnd = new SplittableRandom(5);
        int older = 0;
        int newer = 0;
        int rejected = 0;
        for (int trial = 0; trial < 60; trial++) {
            double p = rnd.nextDouble();
            List<Integer> landed = c.changedSectors().stream().filter(off -> rnd.nextDouble() < p).toList();
            Path file = torn(c, landed, trial % 2 == 1, rnd, "reordered-" + trial + ".mv");
            int recovered = openAndCheck(file);
            assertThat(recovered).isIn(-1, BATCHES - 1, BATCHES);
            if (recovered < 0) {
                rejected++;
            } else if (recovered == BATCHES) {
                newer++;
            } else {
                older++;
            }
        }
        System.out.printf("last commit with random sectors missing (%d sectors): %d recovered the commit before, "
                + "%d the last, %d rejected%n", c.changedSectors().size(), older, newer, rejected);
    }

    @BeforeEach
    void setUp() {
        states.clear();
    }

    /** Why the last {@link #openAndCheck} rejected its file. */
    String lastRejection;

    /**
     * Opens {@code file}, reads everything and closes it: returns the batch number it recovered to, or -1 if it was
     * rejected with a proper {@link StorageException} at any of these steps.
     */
    int openAndCheck(Path file) {
        try {
            return openReadAndClose(file);
        } catch (StorageException e) {
            assertThat(e.getMessage()).contains(file.toString());
            lastRejection = e.getMessage();
            return -1;
        } catch (RuntimeException e) {
            throw new AssertionError("failed without a StorageException", e);
        }
    }

    private int openReadAndClose(Path file) {
        MvStoreRaftStorage s = MvStoreRaftStorage.open(file);
        try {
            long last = s.log().lastIndex();
            HardState hs = s.hardState().load();
            List<Entry> entries = s.recover().log();
            for (Entry e : entries) {
                assertThat(e).isEqualTo(entry(e.index(), termOf(e.index())));
            }
            int batch = (int) (last / BATCH);
            Snapshot expected = new Snapshot(last, hs);
            if (last % BATCH != 0 || !states.get(batch).equals(expected)) {
                fail("recovered a state that no commit produced: last=" + last + " " + hs);
            }
            assertThat(s.log().firstIndex()).isEqualTo(1);
            return batch;
        } finally {
            s.close();
        }
    }

    Path copy(String name) throws IOException {
        return Files.copy(original, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @ParameterizedTest(name = "clean close: {0}")
    @ValueSource(booleans = {true, false})
    void garbageAfterTheEndIsIgnored(boolean cleanClose) throws Exception {
        write(cleanClose);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int size : new int[]{1, 100, 4096, 5000, 70_000}) {
            Path damaged = copy("garbage-" + size + ".mv");
            byte[] garbage = new byte[size];
            rnd.nextBytes(garbage);
            Files.write(damaged, garbage, StandardOpenOption.APPEND);
            assertThat(openAndCheck(damaged)).as("garbage of %d bytes", size).isEqualTo(BATCHES);
            Path zeros = copy("zeros-" + size + ".mv");
            Files.write(zeros, new byte[size], StandardOpenOption.APPEND);
            assertThat(openAndCheck(zeros)).as("zeros of %d bytes", size).isEqualTo(BATCHES);
        }
    }

    @ParameterizedTest(name = "clean close: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutShortIsRecoveredToACommitOrRejected(boolean cleanClose) throws Exception {
        write(cleanClose);
        long size = Files.size(original);
        List<String> outcomes = new ArrayList<>();
        long[] cuts = {1, 17, 100, 2048, 4095, 4096, 4097, 6000, 12_000, size / 4, size / 2, size - 8192, size - 9000};
        for (long cut : cuts) {
            if (cut <= 0 || cut >= size) {
                continue;
            }
            Path damaged = copy("cut-" + cut + ".mv");
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                f.setLength(size - cut);
            }
            int batch = openAndCheck(damaged);
            outcomes.add("-" + cut + "B:" + (batch < 0 ? "rejected" : "batch " + batch));
        }
        System.out.println("cut short (" + size + " B file, clean close " + cleanClose + "): " + outcomes);
    }

    @ParameterizedTest(name = "clean close: {0}")
    @ValueSource(booleans = {true, false})
    void flippedBytesAreRecoveredToACommitOrRejected(boolean cleanClose) throws Exception {
        write(cleanClose);
        long size = Files.size(original);
        SplittableRandom rnd = new SplittableRandom(11);
        int rejected = 0;
        int latest = 0;
        int earlier = 0;
        for (int trial = 0; trial < 60; trial++) {
            Path damaged = copy("flip-" + trial + ".mv");
            long pos = rnd.nextLong(size);
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                f.seek(pos);
                int b = f.read();
                f.seek(pos);
                f.write(b ^ (1 << rnd.nextInt(8)));
            }
            int batch = openAndCheck(damaged);
            if (batch < 0) {
                rejected++;
            } else if (batch == BATCHES) {
                latest++;
            } else {
                earlier++;
            }
        }
        System.out.printf("bit flips (clean close %s): %d rejected, %d intact, %d fell back to an earlier commit%n",
                cleanClose, rejected, latest, earlier);
    }
}
