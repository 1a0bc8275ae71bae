package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link SnapshotStore} in a directory: {@code snapshot-<index>-<term>.snap} files in {@link SnapshotFormat}, and
 * an {@code incoming/} directory where transfers stage what they receive.
 *
 * <p><b>Atomic writes.</b> A snapshot is written to {@code .tmp-<name>}, fsynced, renamed to its name, and then the
 * directory is fsynced so that the rename itself is durable. A name therefore only ever denotes a complete file;
 * leftover temporary files are deleted when the store opens.
 *
 * <p>Checking a file reads it whole once; the result is remembered, since files never change under their name.
 */
public final class FileSnapshotStore implements SnapshotStore {

    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{20})\\.snap");
    private static final String TMP_PREFIX = ".tmp-";

    private final Path dir;
    private final Path incoming;
    private final Map<Path, StoredSnapshot> checked = new HashMap<>();

    private FileSnapshotStore(Path dir) {
        this.dir = dir;
        this.incoming = dir.resolve("incoming");
    }

    /** Opens (creating if needed) the store in {@code dir}, removing temporary files a crash left behind. */
    public static FileSnapshotStore open(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        FileSnapshotStore store = new FileSnapshotStore(absolute);
        try {
            Files.createDirectories(store.incoming);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(absolute, TMP_PREFIX + "*")) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot open the snapshot directory " + absolute + ": " + e
                    + ". Check the path and its permissions.", e);
        }
        return store;
    }

    public Path dir() {
        return dir;
    }

    static String fileName(SnapshotMeta meta) {
        return fileName(meta.index(), meta.term());
    }

    @Override
    public StoredSnapshot save(SnapshotMeta meta, SnapshotContent content) {
        String name = fileName(meta);
        Path tmp = dir.resolve(TMP_PREFIX + name);
        Path target = dir.resolve(name);
        try {
            Files.deleteIfExists(tmp);
            StoredSnapshot stored;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                SnapshotFileWriter writer = new SnapshotFileWriter(ch);
                writer.header(meta);
                content.writeTo(writer.payload());
                long size = writer.finish();
                ch.force(true);
                stored = new StoredSnapshot(meta, target, size, writer.wholeCrc(), writer.payloadStart(),
                        writer.payloadLength());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            synchronized (checked) {
                checked.put(target, stored); // the checksums were computed while writing
            }
            return stored;
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            throw new StorageException("Cannot write snapshot " + meta.index() + "@" + meta.term() + " to " + target
                    + ": " + e + ". Check free space and permissions of " + dir + ".", e);
        }
    }

    @Override
    public StoredSnapshot install(StoredSnapshot received) {
        Path target = dir.resolve(fileName(received.meta()));
        try {
            Files.move(received.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("Cannot move the received snapshot " + received.file() + " to " + target + ": "
                    + e + ". Check free space and permissions of " + dir + ".", e);
        }
        StoredSnapshot stored = received.movedTo(target);
        synchronized (checked) {
            checked.put(target, stored);
        }
        return stored;
    }

    @Override
    public Optional<StoredSnapshot> find(SnapshotMeta meta) {
        Path file = dir.resolve(fileName(meta));
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        StoredSnapshot s = check(file);
        if (s.meta().index() != meta.index() || s.meta().term() != meta.term()) {
            throw new StorageException("snapshot file " + file + " holds snapshot " + s.meta().index() + "@"
                    + s.meta().term() + ", not what its name says; it was renamed or damaged. Move it away.");
        }
        return Optional.of(s);
    }

    @Override
    public Optional<StoredSnapshot> latest() {
        return names().stream().max(Comparator.comparingLong((long[] it) -> it[0]).thenComparingLong(it -> it[1]))
                .map(it -> check(dir.resolve(fileName(it[0], it[1]))));
    }

    @Override
    public void retainOnly(SnapshotMeta keep) {
        boolean deleted = false;
        for (long[] it : names()) {
            if (it[0] != keep.index() || it[1] != keep.term()) {
                Path p = dir.resolve(fileName(it[0], it[1]));
                deleteQuietly(p);
                synchronized (checked) {
                    checked.remove(p);
                }
                deleted = true;
            }
        }
        if (deleted) {
            syncDirectory(dir);
        }
    }

    @Override
    public Path incomingDir() {
        return incoming;
    }

    private static String fileName(long index, long term) {
        return String.format("snapshot-%020d-%020d.snap", index, term);
    }

    /** (index, term) of every snapshot file in the directory. */
    private List<long[]> names() {
        List<long[]> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
            for (Path p : files) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot list the snapshot directory " + dir + ": " + e, e);
        }
        return out;
    }

    private StoredSnapshot check(Path file) {
        synchronized (checked) {
            StoredSnapshot known = checked.get(file);
            if (known != null) {
                return known;
            }
        }
        StoredSnapshot s;
        try {
            s = StoredSnapshot.of(file, SnapshotFormat.check(file));
        } catch (CorruptSnapshotException e) {
            throw new StorageException(e.getMessage() + ". It cannot be repaired; remove this node's data and re-add "
                    + "it to the cluster, or restore the data directory from a backup.", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read snapshot file " + file + ": " + e, e);
        }
        synchronized (checked) {
            checked.put(file, s);
        }
        return s;
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the files themselves are fsynced
        }
    }

    /** Deletes {@code p} (null: nothing) if it exists, ignoring failures: for temporary files only. */
    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover file is removed on the next open or retainOnly
        }
    }
}
