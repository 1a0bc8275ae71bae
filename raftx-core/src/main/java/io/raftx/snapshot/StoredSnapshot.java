package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A complete snapshot file whose checksum was verified.
 *
 * @param meta          the last entry it covers and the membership as of that entry
 * @param file          where it is
 * @param size          the file's size in bytes
 * @param crc32c        CRC32C of the whole file (what a transfer sends after its last chunk)
 * @param payloadOffset where the runtime's payload starts in the file
 * @param payloadLength the payload's length
 */
public record StoredSnapshot(SnapshotMeta meta, Path file, long size, int crc32c, long payloadOffset,
                             long payloadLength) {

    static StoredSnapshot of(Path file, SnapshotFormat.Checked checked) {
        return new StoredSnapshot(checked.meta(), file, checked.fileSize(), checked.fileCrc32c(),
                checked.payloadOffset(), checked.payloadLength());
    }

    StoredSnapshot movedTo(Path newFile) {
        return new StoredSnapshot(meta, newFile, size, crc32c, payloadOffset, payloadLength);
    }

    /** The payload, buffered; the caller closes it. */
    public InputStream openPayload() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        long end = payloadOffset + payloadLength;
        return new BufferedInputStream(new PayloadStream(ch, file, payloadOffset, end), 256 * 1024);
    }

    /** The whole file for reading (to send it); the caller closes it. */
    public FileChannel openFile() throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** The bytes {@code [position, end)} of a channel, read with positional reads; closing it closes the channel. */
    private static final class PayloadStream extends InputStream {
        private final FileChannel channel;
        private final Path file;
        private final long end;
        private long position;

        PayloadStream(FileChannel channel, Path file, long position, long end) {
            this.channel = channel;
            this.file = file;
            this.position = position;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new IOException("snapshot file " + file + " ended before its payload did (it shrank?)");
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
