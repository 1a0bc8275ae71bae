package io.raftx.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One incoming snapshot transfer, as staged by a {@link SnapshotSink}. The transport writes the chunks in order,
 * starting at {@link #offset()}, then calls {@link #complete}; or {@link #abort} if the stream broke, which keeps the
 * bytes received so far for a later transfer of the same snapshot to resume from.
 */
public interface InboundSnapshot {

    /** False if this node does not need the data (it already holds the snapshot's entries); nothing is to be sent. */
    boolean needsData();

    /** Bytes already held: the sender continues from here (0 for a fresh transfer). */
    long offset();

    /**
     * Appends {@code data}, which must start at the current end of the staged bytes.
     *
     * @throws IOException if the offset is not the expected one, the data goes past the announced size, or the
     *         write failed; the transfer is then over (the sender may retry)
     */
    void write(long offset, ByteBuffer data) throws IOException;

    /**
     * All bytes arrived: checks their CRC32C against {@code crc32c} (of the whole file) and the file's own structure,
     * then hands the snapshot to the node.
     *
     * @throws IOException if the size or checksum is wrong (the staged bytes are discarded, so a retry starts from
     *         zero) or the file cannot be made durable
     */
    void complete(int crc32c) throws IOException;

    /** The transfer broke off: keep what arrived so that the next transfer of this snapshot resumes. Idempotent. */
    void abort();

    /** Sees each write before (and decides whether) it reaches the wrapped transfer: fault injection, accounting. */
    @FunctionalInterface
    interface WriteInterceptor {
        void write(long offset, ByteBuffer data, InboundSnapshot target) throws IOException;
    }

    /** {@code in} with its writes routed through {@code interceptor}; everything else goes straight to {@code in}. */
    static InboundSnapshot intercepted(InboundSnapshot in, WriteInterceptor interceptor) {
        return new InboundSnapshot() {
            @Override
            public boolean needsData() {
                return in.needsData();
            }

            @Override
            public long offset() {
                return in.offset();
            }

            @Override
            public void write(long offset, ByteBuffer data) throws IOException {
                interceptor.write(offset, data, in);
            }

            @Override
            public void complete(int crc32c) throws IOException {
                in.complete(crc32c);
            }

            @Override
            public void abort() {
                in.abort();
            }
        };
    }
}
