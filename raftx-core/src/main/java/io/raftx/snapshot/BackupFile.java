package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A backup of a cluster's replicated state: one node's snapshot file (the KV data with revisions and leases, the
 * request-id table, and the membership, index and term it was taken at) wrapped with the cluster id, the node it was
 * taken on and a checksum over everything ({@link BackupFormat}). Written by {@link #write}, checked and unpacked by
 * {@link #open}; restored by {@link ClusterRestore}.
 *
 * @param clusterId    the cluster it was taken from
 * @param sourceNodeId the node that wrote it
 * @param created      when it was written
 * @param snapshot     the last entry it includes, and the membership then
 * @param size         the backup file's size in bytes
 */
public record BackupFile(String clusterId, String sourceNodeId, Instant created, SnapshotMeta snapshot, long size) {

    public BackupFile {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(sourceNodeId, "sourceNodeId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /**
     * Writes {@code snapshot} as a backup to {@code target}: a temporary file beside it, fsynced, then renamed, so the
     * name only ever denotes a complete backup. Refuses a {@code target} that exists (an older backup is not
     * overwritten).
     *
     * @throws IllegalArgumentException if {@code target} exists or its directory does not
     * @throws UncheckedIOException     if writing fails (nothing is left behind)
     */
    public static BackupFile write(StoredSnapshot snapshot, String clusterId, String sourceNodeId, Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            throw new IllegalArgumentException("backup target " + absolute + " already exists; choose a new file name"
                    + " (an existing backup is never overwritten)");
        }
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("backup target " + absolute + ": directory " + dir
                    + " does not exist; create it first");
        }
        Path tmp = dir.resolve(".tmp-" + absolute.getFileName());
        Instant created = Instant.now();
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 FileChannel in = snapshot.openFile()) {
                CRC32C crc = new CRC32C();
                OutputStream checked = new CheckedOutputStream(new BufferedOutputStream(Channels.newOutputStream(out),
                        256 * 1024), crc);
                DataOutputStream data = new DataOutputStream(checked);
                BackupFormat.writeHeader(data, clusterId, sourceNodeId, created, snapshot.size());
                long copied = Channels.newInputStream(in).transferTo(data);
                if (copied != snapshot.size()) {
                    throw new IOException("snapshot file " + snapshot.file() + " changed size while being copied ("
                            + snapshot.size() + " -> " + copied + " bytes)");
                }
                data.flush();
                data.write(BackupFormat.trailer((int) crc.getValue()));
                data.flush();
                out.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            FileSnapshotStore.syncDirectory(dir);
            return new BackupFile(clusterId, sourceNodeId, created, snapshot.meta(), Files.size(absolute));
        } catch (FileAlreadyExistsException e) {
            FileSnapshotStore.deleteQuietly(tmp);
            throw new IllegalArgumentException("backup target " + absolute + " appeared while the backup was written;"
                    + " choose a new file name", e);
        } catch (IOException e) {
            FileSnapshotStore.deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write backup " + absolute + ": " + e.getMessage()
                    + "; check free space and permissions of " + dir, e);
        }
    }

    /**
     * Checks {@code backup} whole (the outer checksum, then the embedded snapshot file's own structure and checksum)
     * and unpacks its snapshot into {@code workDir}. Close the result to delete the unpacked file.
     *
     * @throws InvalidBackupException if the file is truncated, damaged or not a backup
     * @throws UncheckedIOException   if it cannot be read, or {@code workDir} cannot be written
     */
    public static Unpacked open(Path backup, Path workDir) {
        if (!Files.isRegularFile(backup)) {
            throw new InvalidBackupException(backup, "there is no such file");
        }
        Path unpacked = null;
        try (FileChannel ch = FileChannel.open(backup, StandardOpenOption.READ)) {
            long size = ch.size();
            BackupFormat.Header header = BackupFormat.check(backup, ch);
            Files.createDirectories(workDir);
            unpacked = Files.createTempFile(workDir, ".backup-", ".snap");
            try (FileChannel out = FileChannel.open(unpacked, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < header.snapshotLength()) {
                    done += ch.transferTo(header.headerBytes() + done, header.snapshotLength() - done, out);
                }
            }
            SnapshotFormat.Checked checked;
            try {
                checked = SnapshotFormat.check(unpacked);
            } catch (CorruptSnapshotException e) {
                throw new InvalidBackupException(backup, "its embedded snapshot is damaged (" + e.getMessage() + ")");
            }
            BackupFile info = new BackupFile(header.clusterId(), header.sourceNodeId(), header.created(),
                    checked.meta(), size);
            return new Unpacked(info, StoredSnapshot.of(unpacked, checked));
        } catch (IOException e) {
            FileSnapshotStore.deleteQuietly(unpacked);
            throw new UncheckedIOException("cannot read backup " + backup.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            FileSnapshotStore.deleteQuietly(unpacked);
            throw e;
        }
    }

    /** Checks {@code backup} whole and describes it; nothing is left behind. */
    public static BackupFile verify(Path backup, Path workDir) {
        try (Unpacked u = open(backup, workDir)) {
            return u.info();
        }
    }

    public String describe() {
        return "backup of cluster '" + clusterId + "' taken on node " + sourceNodeId + " at " + created + ": index "
                + snapshot.index() + ", term " + snapshot.term() + ", " + snapshot.membership().describe() + ", "
                + size + " bytes";
    }

    /** A checked backup with its snapshot unpacked to a temporary file, deleted on close. */
    public record Unpacked(BackupFile info, StoredSnapshot snapshot) implements AutoCloseable {
        @Override
        public void close() {
            FileSnapshotStore.deleteQuietly(snapshot.file());
        }
    }
}
