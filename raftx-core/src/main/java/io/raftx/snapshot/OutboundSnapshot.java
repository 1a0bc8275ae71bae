package io.raftx.snapshot;

import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A snapshot file to stream to {@code message.to()}, with the SNAPSHOT message it belongs to.
 *
 * @param message    the SNAPSHOT message; the receiver's core sees it once the file fully arrived
 * @param file       the open file; the transport reads it through {@link #readFully} and closes it when the transfer
 *                   ends, however it ends (the caller opens it, so that the file may be replaced or deleted meanwhile)
 * @param size       the file's size in bytes
 * @param crc32c     CRC32C of the whole file, sent after the last chunk
 * @param chunkBytes how many bytes each chunk carries at most (memory use is bounded by a few chunks)
 */
public record OutboundSnapshot(Message message, FileChannel file, long size, int crc32c, int chunkBytes)
        implements Closeable {

    public OutboundSnapshot {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(file, "file");
        if (message.type() != MessageType.SNAPSHOT) {
            throw new IllegalArgumentException("a snapshot transfer carries a SNAPSHOT message, not " + message.type());
        }
        if (size < 0 || chunkBytes < 1) {
            throw new IllegalArgumentException("invalid snapshot transfer: size " + size + ", chunkBytes "
                    + chunkBytes);
        }
    }

    public String to() {
        return message.to();
    }

    /** Fills {@code buf} with the file's bytes from {@code at} (a positional read: the transfer keeps no position). */
    public void readFully(ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            int n = file.read(buf, at + buf.position());
            if (n < 0) {
                throw new IOException("snapshot file ended at " + (at + buf.position()) + " of " + size + " bytes");
            }
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
