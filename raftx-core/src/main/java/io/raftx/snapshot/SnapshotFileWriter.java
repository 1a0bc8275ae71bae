package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot file in {@link SnapshotFormat} through a buffer, computing both checksums on the way: the
 * stored one (everything before the checksum field) and the whole file's, which transfers send. The payload is
 * written through {@link #payload()}, a stream whose close does nothing, so a state machine cannot end the file early.
 */
final class SnapshotFileWriter {

    private static final int BUFFER_BYTES = 256 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C body = new CRC32C();
    private final CRC32C whole = new CRC32C();
    private boolean bodyDone;
    private long written;
    private long payloadStart;
    private long payloadLength;

    SnapshotFileWriter(FileChannel channel) {
        this.channel = channel;
    }

    void header(SnapshotMeta meta) throws IOException {
        byte[] header = SnapshotFormat.header(meta);
        write(header, 0, header.length);
        payloadStart = written + buffer.position();
    }

    OutputStream payload() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                buffer.put((byte) b);
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SnapshotFileWriter.this.write(b, off, len);
            }

            @Override
            public void close() {
                // the file is finished by the store, not by the payload's writer
            }
        };
    }

    /** Writes the trailer and flushes. Returns the file's size; {@link #wholeCrc()} is final afterwards. */
    long finish() throws IOException {
        payloadLength = written + buffer.position() - payloadStart;
        write(ByteBuffer.allocate(8).putLong(payloadLength).array(), 0, 8);
        flushBuffer();
        bodyDone = true; // the stored checksum covers everything up to here
        byte[] tail = ByteBuffer.allocate(8).putInt((int) body.getValue()).putInt(SnapshotFormat.END_MAGIC).array();
        write(tail, 0, tail.length);
        flushBuffer();
        return written;
    }

    int wholeCrc() {
        return (int) whole.getValue();
    }

    long payloadStart() {
        return payloadStart;
    }

    long payloadLength() {
        return payloadLength;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        if (!bodyDone) {
            body.update(buffer.duplicate());
        }
        whole.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        buffer.clear();
    }
}
