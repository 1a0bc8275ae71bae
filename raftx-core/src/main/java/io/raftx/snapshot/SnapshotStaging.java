package io.raftx.snapshot;

import io.raftx.raft.Message;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.snapshot.SnapshotSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The receiving end of snapshot transfers. Incoming bytes go to {@code partial-<index>-<term>-<size>.part} in the
 * staging directory; when the last one arrived the file is fsynced, checked (structure, and the sender's CRC32C of
 * the whole file), renamed to {@code received-...snap} and handed, with its SNAPSHOT message, to the node, which
 * installs it if its core asks for it.
 *
 * <p><b>Resume.</b> A transfer that breaks off leaves its partial file. A later offer of the same snapshot (same
 * index, term and size) continues after the bytes already there, also across a restart of this node. Only one
 * partial file is kept: an offer of another snapshot deletes the others (a leader only sends its latest snapshot).
 * Partial bytes are not fsynced as they arrive, so a crash may damage them; the final checksum catches that, the
 * staged bytes are dropped and the next transfer starts from zero.
 *
 * <p>Offers of a snapshot this node already covers (its index is at most the commit index) need no data: the
 * message is handed to the node at once, and its core simply acknowledges.
 */
public final class SnapshotStaging implements SnapshotSink {

    /** A SNAPSHOT message whose data arrived ({@code snapshot}), or that needs none ({@code snapshot} null). */
    public record Received(Message message, StoredSnapshot snapshot) { }

    private static final InboundSnapshot NOT_NEEDED = new InboundSnapshot() {
        @Override
        public boolean needsData() {
            return false;
        }

        @Override
        public long offset() {
            return 0;
        }

        @Override
        public void write(long offset, ByteBuffer data) throws IOException {
            throw new IOException("this node does not need the snapshot's data");
        }

        @Override
        public void complete(int crc32c) {
        }

        @Override
        public void abort() {
        }
    };

    private final Path dir;
    private final LongSupplier commitIndex;
    private final Consumer<Received> deliver;
    private final AtomicReference<Session> active = new AtomicReference<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param dir         staging directory (on the snapshot store's file system)
     * @param commitIndex this node's commit index as last published (it only grows)
     * @param deliver     takes each SNAPSHOT message with its verified file; must not block
     */
    public SnapshotStaging(Path dir, LongSupplier commitIndex, Consumer<Received> deliver) {
        this.dir = dir;
        this.commitIndex = commitIndex;
        this.deliver = deliver;
        deleteMatching("received-*.snap"); // verified files that no core took before a restart are of no use
    }

    @Override
    public synchronized InboundSnapshot offer(Message message, long totalSize) throws IOException {
        SnapshotMeta meta;
        try {
            meta = message.snapshotMeta();
        } catch (RuntimeException e) {
            throw new IOException("malformed SNAPSHOT message from " + message.from() + ": " + e.getMessage(), e);
        }
        if (meta.index() <= commitIndex.getAsLong()) {
            deliver.accept(new Received(message, null));
            return NOT_NEEDED;
        }
        if (totalSize < SnapshotFormat.TRAILER_BYTES) {
            throw new IOException("snapshot " + meta.index() + "@" + meta.term() + " offered by " + message.from()
                    + " has an impossible size of " + totalSize + " bytes");
        }
        Session previous = active.getAndSet(null);
        if (previous != null) {
            previous.supersede(); // the sender gave up on it and started over; its stream may still be open
        }
        Path partial = dir.resolve(String.format("partial-%d-%d-%d.part", meta.index(), meta.term(), totalSize));
        deleteOthers(partial);
        FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long have = ch.size();
        if (have > totalSize) {
            ch.truncate(0);
            have = 0;
        }
        Session s = new Session(message, meta, partial, ch, have, totalSize);
        active.set(s);
        return s;
    }

    /** Deletes a received file the node did not install. */
    public void discard(StoredSnapshot received) {
        try {
            Files.deleteIfExists(received.file());
        } catch (IOException ignored) {
            // removed on the next start
        }
    }

    private void deleteOthers(Path keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "partial-*.part")) {
            for (Path p : files) {
                if (!p.getFileName().equals(keep.getFileName())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void deleteMatching(String glob) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // leftovers only cost disk space; the next start tries again
        }
    }

    private final class Session implements InboundSnapshot {
        private final Message message;
        private final SnapshotMeta meta;
        private final Path partial;
        private final FileChannel channel;
        private final long startOffset;
        private final long totalSize;
        private long position;
        private String closedBecause;

        Session(Message message, SnapshotMeta meta, Path partial, FileChannel channel, long offset, long totalSize) {
            this.message = message;
            this.meta = meta;
            this.partial = partial;
            this.channel = channel;
            this.startOffset = offset;
            this.position = offset;
            this.totalSize = totalSize;
        }

        @Override
        public boolean needsData() {
            return true;
        }

        @Override
        public long offset() {
            return startOffset;
        }

        @Override
        public synchronized void write(long offset, ByteBuffer data) throws IOException {
            ensureOpen();
            if (offset != position) {
                throw new IOException("snapshot chunk at offset " + offset + " but " + position + " bytes are staged");
            }
            if (position + data.remaining() > totalSize) {
                throw new IOException("snapshot chunk goes past the announced size of " + totalSize + " bytes");
            }
            while (data.hasRemaining()) {
                position += channel.write(data, position);
            }
        }

        @Override
        public synchronized void complete(int crc32c) throws IOException {
            ensureOpen();
            if (position != totalSize) {
                throw new IOException("snapshot transfer ended after " + position + " of " + totalSize + " bytes");
            }
            channel.force(true);
            close("completed");
            active.compareAndSet(this, null);
            SnapshotFormat.Checked checked;
            try {
                checked = SnapshotFormat.check(partial);
                if (checked.fileCrc32c() != crc32c) {
                    throw new CorruptSnapshotException(partial, String.format("the received bytes have CRC32C %08x, "
                            + "the sender's file %08x", checked.fileCrc32c(), crc32c));
                }
                if (checked.meta().index() != meta.index() || checked.meta().term() != meta.term()) {
                    throw new CorruptSnapshotException(partial, "it holds snapshot " + checked.meta().index() + "@"
                            + checked.meta().term() + ", the message announced " + meta.index() + "@" + meta.term());
                }
            } catch (IOException e) {
                Files.deleteIfExists(partial); // start over: resuming on top of bad bytes would fail again
                throw e;
            }
            Path received = dir.resolve(String.format("received-%d-%d-%d.snap", meta.index(), meta.term(),
                    sequence.incrementAndGet()));
            Files.move(partial, received, StandardCopyOption.ATOMIC_MOVE);
            deliver.accept(new Received(message, StoredSnapshot.of(received, checked)));
        }

        @Override
        public synchronized void abort() {
            close("aborted");
            active.compareAndSet(this, null);
        }

        synchronized void supersede() {
            close("superseded by a newer transfer of the same snapshot");
        }

        private void ensureOpen() throws IOException {
            if (closedBecause != null) {
                throw new IOException("snapshot transfer " + meta.index() + "@" + meta.term() + " was "
                        + closedBecause);
            }
        }

        private void close(String why) {
            if (closedBecause == null) {
                closedBecause = why;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the bytes written are in the file; a later transfer checks them
                }
            }
        }
    }
}
