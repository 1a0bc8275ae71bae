package io.raftx.storage;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every point at which a SIGKILL can stop a group commit, replayed exactly: the storage's writes are recorded (a
 * recording file system takes the place of {@link DataSyncFilePath} for the test), and for each write of each commit
 * the file is rebuilt as the kill would have left it (the page cache keeps every write that completed, so the file
 * is the last synced image plus a prefix of the writes since, the last of them possibly cut at a page boundary) and
 * opened the way a restarted node opens it. It must recover the state before the commit or after it, and after the
 * commit's fsync only the state after it. {@link MvStoreCrashTest} kills real processes at random moments; this test
 * reaches the rare moments deterministically. {@code -Draftx.storage.crashpoints.commits=N} for a longer run,
 * {@code -Draftx.storage.crashpoints.seed=S} to replay.
 */
class MvStoreCrashPointTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void recordWrites() {
        new DataSyncFilePath(); // registers the real "datasync" scheme first, so ours replaces it
        FilePath.register(new RecordingFilePath());
    }

    @AfterAll
    static void restoreFileSystem() {
        FilePath.register(new DataSyncFilePath());
    }

    @Test
    void everyKillPointRecoversTheStateBeforeOrAfterTheCommit() throws Exception {
        int commits = Integer.getInteger("raftx.storage.crashpoints.commits", 500);
        long seed = Long.getLong("raftx.storage.crashpoints.seed", System.nanoTime());
        System.out.println("crash points: " + commits + " commits, seed " + seed
                + " (-Draftx.storage.crashpoints.seed to replay)");
        Path file = dir.resolve("log.mv");
        Path crashed = dir.resolve("crashed.mv");
        RecordingFilePath.target = file.toAbsolutePath().normalize().toString();
        RecordingFilePath.writes.clear();
        MvStoreRaftStorage storage = MvStoreRaftStorage.open(file, CrashChild.OPTIONS);
        CrashChild.Writer writer = new CrashChild.Writer(storage, new SplittableRandom(seed));
        byte[] synced = replay(new byte[0], RecordingFilePath.writes, RecordingFilePath.writes.size());
        MvStoreCrashTest.State before = MvStoreCrashTest.read(storage);
        int points = 0;
        try {
            for (int commit = 1; commit <= commits; commit++) {
                RecordingFilePath.writes.clear();
                CrashChild.Step step = writer.next();
                writer.persist(step);
                MvStoreCrashTest.State after = before.apply(step.line().split(" "));
                List<Write> writes = List.copyOf(RecordingFilePath.writes);
                assertThat(replay(synced, writes, writes.size())).as("the recording replays to the file itself")
                        .isEqualTo(Files.readAllBytes(file));
                for (Write w : writes) {
                    if (w.data() != null && w.position() == 0) {
                        assertThat(new String(w.data(), 0, 256, StandardCharsets.ISO_8859_1))
                                .as("a file header written by a commit").startsWith("H:2,").doesNotContain("clean:");
                    }
                }
                // a kill before write i, or (a long write) in the middle of it
                boolean fsynced = false;
                for (int i = 0; i <= writes.size(); i++) {
                    Write next = i < writes.size() ? writes.get(i) : null;
                    byte[] prefix = replay(synced, writes, i);
                    for (int cut : next == null ? new int[] {0} : next.cuts()) {
                        Files.write(crashed, cut == 0 ? prefix : next.applyTo(prefix, cut));
                        String where = "seed " + seed + ", commit " + commit + " (" + step.line() + "), kill after "
                                + i + " of its " + writes.size() + " writes" + (cut == 0 ? "" : " and " + cut
                                + " bytes of the next");
                        MvStoreCrashTest.State recovered = recover(crashed, where);
                        if (fsynced) {
                            assertThat(recovered).as("after the fsync, " + where).isEqualTo(after);
                        } else {
                            assertThat(recovered).as(where).isIn(before, after);
                        }
                        points++;
                    }
                    fsynced |= next != null && next.isSync();
                }
                synced = replay(synced, writes, writes.size());
                before = after;
            }
        } finally {
            storage.close();
            RecordingFilePath.target = null;
        }
        System.out.println("crash points: " + points + " kill points checked");
        assertThat(points).as("kill points checked").isGreaterThan(commits);
    }

    /**
     * Opens the crashed file as a restarting node does, then closes it cleanly and opens it again, as the node's
     * next restart would: whatever recovery chose must stay chosen (MVStore can find a later complete commit that
     * recovery dropped when it scans the whole file).
     */
    private static MvStoreCrashTest.State recover(Path crashed, String where) {
        MvStoreCrashTest.State recovered = openAndRead(crashed, where, true);
        assertThat(openAndRead(crashed, where + ", opened again after a clean close", false))
                .as(where + ", opened again after a clean close").isEqualTo(recovered);
        return recovered;
    }

    private static MvStoreCrashTest.State openAndRead(Path file, String where, boolean closeCleanly) {
        try {
            MvStoreRaftStorage storage = MvStoreRaftStorage.open(file, CrashChild.OPTIONS);
            try {
                return MvStoreCrashTest.read(storage);
            } finally {
                if (closeCleanly) {
                    storage.close();
                } else {
                    storage.closeWithoutWriting();
                }
            }
        } catch (StorageException e) {
            throw new AssertionError(where + ": the file does not open: " + e.getMessage(), e);
        }
    }

    private static byte[] replay(byte[] image, List<Write> writes, int count) {
        byte[] result = image;
        for (int i = 0; i < count; i++) {
            result = writes.get(i).applyTo(result, -1);
        }
        return result;
    }

    /** One recorded call: bytes written at a position, a truncation (data null), or an fsync (position -1). */
    record Write(long position, byte[] data, long truncateTo) {

        boolean isSync() {
            return position < 0 && data == null;
        }

        /**
         * How much of this write a kill can leave: none of it (0) or, for a write of more than two pages, half of
         * its pages (a write to the page cache stops between pages when the process is killed).
         */
        int[] cuts() {
            if (data != null && data.length > 2 * 4096) {
                return new int[] {0, data.length / 2 / 4096 * 4096};
            }
            return new int[] {0};
        }

        /** The image after this write, or after its first {@code cut} bytes ({@code -1}: all of it). */
        byte[] applyTo(byte[] image, int cut) {
            if (isSync()) {
                return image;
            }
            if (data == null) {
                return truncateTo < image.length ? Arrays.copyOf(image, (int) truncateTo) : image;
            }
            int length = cut < 0 ? data.length : cut;
            byte[] result = image.length >= position + length ? image.clone()
                    : Arrays.copyOf(image, (int) (position + length));
            System.arraycopy(data, 0, result, (int) position, length);
            return result;
        }
    }

    /** The "datasync" file system with every write, truncation and fsync of one file recorded. */
    public static final class RecordingFilePath extends FilePathWrapper {

        static volatile String target;
        static final List<Write> writes = new ArrayList<>();

        /** Called by H2 (reflection) for each path. */
        public RecordingFilePath() {
        }

        @Override
        public String getScheme() {
            return DataSyncFilePath.SCHEME;
        }

        @Override
        public FileChannel open(String mode) throws IOException {
            FileChannel channel = getBase().open(mode);
            boolean recorded = getBase().toString().equals(target);
            return new ForwardingFileChannel(channel) {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    long position = base.position();
                    int n = write(src, position);
                    base.position(position + n);
                    return n;
                }

                @Override
                public int write(ByteBuffer src, long position) throws IOException {
                    if (recorded) {
                        ByteBuffer copy = src.duplicate();
                        byte[] data = new byte[copy.remaining()];
                        copy.get(data);
                        int n = base.write(src, position);
                        synchronized (writes) {
                            writes.add(new Write(position, Arrays.copyOf(data, n), 0));
                        }
                        return n;
                    }
                    return base.write(src, position);
                }

                @Override
                public FileChannel truncate(long size) throws IOException {
                    if (recorded) {
                        synchronized (writes) {
                            writes.add(new Write(0, null, size));
                        }
                    }
                    base.truncate(size);
                    return this;
                }

                @Override
                public void force(boolean metaData) throws IOException {
                    base.force(false);
                    if (recorded) {
                        synchronized (writes) {
                            writes.add(new Write(-1, null, 0));
                        }
                    }
                }
            };
        }
    }
}
