package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures group commits (not asserted). Runs only with {@code -Draftx.storage.bench=true}:
 * <pre>
 * mvn -q -B -pl raftx-core test -Dtest=GroupCommitBenchmarkTest -Draftx.storage.bench=true
 * </pre>
 * {@code -Draftx.storage.bench.dir=/some/disk} measures on another disk; {@code -Draftx.storage.bench.seconds=N}
 * sets the time per case (default 5).
 */
@EnabledIfSystemProperty(named = "raftx.storage.bench", matches = "true")
class GroupCommitBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void groupCommitRate() throws Exception {
        String where = System.getProperty("raftx.storage.bench.dir");
        Path dir = where == null || where.isBlank() ? tmp : Path.of(where);
        double seconds = Double.parseDouble(System.getProperty("raftx.storage.bench.seconds", "5"));
        System.out.printf("group commit benchmark in %s, %.0f s per case%n", dir, seconds);
        System.out.printf("  raw fsync baseline: %.0f fsyncs/s (4 KiB write + FileChannel.force(true))%n",
                rawFsyncRate(dir.resolve("fsync.bin"), seconds));
        for (int batch : new int[]{1, 16, 256}) {
            run(dir.resolve("bench-" + batch + ".mv"), batch, 256, seconds);
        }
    }

    private static double rawFsyncRate(Path file, double seconds) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                block.clear();
                ch.write(block, (n % 1024) * 4096);
                ch.force(true);
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void run(Path file, int batchSize, int entryBytes, double seconds) {
        byte[] data = new byte[entryBytes];
        try (MvStoreRaftStorage storage = MvStoreRaftStorage.open(file)) {
            long index = 0;
            long commits = 0;
            // warm up for a second, and keep the log bounded as a snapshotting node would
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            long start = 0;
            long end = Long.MAX_VALUE;
            long startIndex = 0;
            long maxFile = 0;
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmEnd) {
                    start = now;
                    end = start + (long) (seconds * 1e9);
                    startIndex = index;
                    commits = 0;
                }
                if (now >= end) {
                    break;
                }
                List<Entry> entries = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    entries.add(new Entry(1, ++index, EntryType.NORMAL, data));
                }
                storage.persist(new HardState(1, "n1", Math.max(0, index - batchSize)), entries);
                commits++;
                if (index - storage.log().firstIndex() > 200_000) {
                    storage.log().truncatePrefix(index - 100_000);
                }
                if (commits % 64 == 0) {
                    maxFile = Math.max(maxFile, storage.fileSize());
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("  batch %3d x %d B: %,9.0f entries/s, %,7.0f group commits/s (%.2f ms each), "
                            + "%,d entries written, largest file %.1f MiB%n",
                    batchSize, entryBytes, (index - startIndex) / secs, commits / secs, secs * 1000 / commits,
                    index, maxFile / 1048576.0);
        }
    }
}
