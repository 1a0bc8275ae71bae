package io.raftx.storage;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Properties;

/**
 * Which node of which cluster a data directory belongs to, recorded in {@value #FILE} at the node's first start and
 * checked at every later one, before the storage opens: a node pointed at another node's (or another cluster's)
 * directory would otherwise start as that member, and two processes could believe they are the same member.
 *
 * <p>A directory that already holds data but no record (written before records existed) is claimed by the node that
 * opens it. The record is written to a temporary file, forced to disk and moved into place atomically.
 */
public record DataDirIdentity(String clusterId, String nodeId) {

    /** The record's file name inside the data directory. */
    public static final String FILE = "raftx-identity.properties";

    public DataDirIdentity {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /**
     * Checks that {@code dir} belongs to node {@code nodeId} of cluster {@code clusterId}, recording it if the
     * directory has no owner yet. Throws {@link ForeignDataDirectoryException} (naming both identities) if it
     * belongs to another node or cluster, {@link UncheckedIOException} if the record cannot be read or written.
     */
    public static DataDirIdentity claim(Path dir, String clusterId, String nodeId) {
        DataDirIdentity me = new DataDirIdentity(clusterId, nodeId);
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                DataDirIdentity owner = read(file);
                if (!owner.equals(me)) {
                    throw new ForeignDataDirectoryException(dir, owner, me);
                }
                return owner;
            }
            write(file, me);
            return me;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the owner of data directory " + dir.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The owner recorded in {@code dir}, or null if none is. */
    public static DataDirIdentity recorded(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return Files.exists(file) ? read(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static DataDirIdentity read(Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String cluster = p.getProperty("cluster-id");
        String node = p.getProperty("node-id");
        if (cluster == null || node == null) {
            throw new IOException(file.toAbsolutePath() + " is not a RaftX identity record (cluster-id and node-id"
                    + " expected); restore it from a backup, or move the directory aside if it is not this node's");
        }
        return new DataDirIdentity(cluster, node);
    }

    private static void write(Path file, DataDirIdentity id) throws IOException {
        Properties p = new Properties();
        p.setProperty("cluster-id", id.clusterId());
        p.setProperty("node-id", id.nodeId());
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, "RaftX data directory owner: do not edit or copy to another node");
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(text.toString()));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true); // the rename itself must survive a power loss
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the record is still written and renamed.
        }
    }

    /** A data directory recorded as another node's or another cluster's. */
    public static final class ForeignDataDirectoryException extends IllegalStateException {

        private final transient Path directory;
        private final DataDirIdentity owner;
        private final DataDirIdentity configured;

        ForeignDataDirectoryException(Path directory, DataDirIdentity owner, DataDirIdentity configured) {
            super("data directory " + directory.toAbsolutePath() + " belongs to node '" + owner.nodeId()
                    + "' of cluster '" + owner.clusterId() + "', but this node is configured as node '"
                    + configured.nodeId() + "' of cluster '" + configured.clusterId() + "'; refusing to start so that"
                    + " two processes never act as the same member. Point the data directory at this node's own"
                    + " directory (an empty one to join as a new member)");
            this.directory = directory;
            this.owner = owner;
            this.configured = configured;
        }

        public Path directory() {
            return directory;
        }

        public DataDirIdentity owner() {
            return owner;
        }

        public DataDirIdentity configured() {
            return configured;
        }
    }
}
