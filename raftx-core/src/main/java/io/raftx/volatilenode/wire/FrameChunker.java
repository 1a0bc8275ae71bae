package io.raftx.volatilenode.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a frame that is too large for one transport message into CHUNK frames, reassembled by
 * {@link ChunkAssembler} on the other side. A SYNC or FETCH_RESPONSE can carry up to a whole ring buffer or
 * snapshot (tens of megabytes), beyond the transport's message limit; everything else fits in one message.
 *
 * <p>Chunk body (format version {@value #FORMAT_VERSION}): version byte, transfer id, chunk index, chunk count,
 * total length, then the chunk's bytes.
 */
public final class FrameChunker {

    public static final int FORMAT_VERSION = 1;

    private FrameChunker() {
    }

    /** {@code frame} itself if it fits in {@code chunkBytes}, else its chunks (each a CHUNK frame). */
    public static List<byte[]> split(byte[] frame, long transferId, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be >= 1, got " + chunkBytes);
        }
        if (frame.length <= chunkBytes) {
            return List.of(frame);
        }
        int count = (frame.length + chunkBytes - 1) / chunkBytes;
        List<byte[]> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * chunkBytes;
            int length = Math.min(chunkBytes, frame.length - from);
            WireWriter w = new WireWriter(length + 32);
            w.u8(FORMAT_VERSION).signedVarLong(transferId).varLong(i).varLong(count).varLong(frame.length)
                    .raw(frame, from, length);
            chunks.add(FrameKind.CHUNK.wrap(w.toByteArray()));
        }
        return chunks;
    }

    /** One decoded chunk. */
    record Chunk(long transferId, int index, int count, int totalLength, byte[] data) {
    }

    static Chunk decode(byte[] body, int maxFrameBytes) {
        WireReader r = new WireReader(body, "frame chunk");
        int version = r.u8("format version");
        if (version != FORMAT_VERSION) {
            throw r.malformed("format version", "version " + version + " is not supported (this node speaks "
                    + FORMAT_VERSION + ")", 0);
        }
        long transferId = r.signedVarLong("transfer id");
        long index = r.varLong("chunk index");
        int count = r.intInRange("chunk count", 2, maxFrameBytes);
        if (index >= count) {
            throw r.malformed("chunk index", "index " + index + " not below the count " + count, r.position());
        }
        int total = r.intInRange("total length", count, maxFrameBytes);
        byte[] data = r.rest();
        if (data.length == 0) {
            throw r.malformed("chunk data", "empty chunk", r.position());
        }
        return new Chunk(transferId, (int) index, count, total, data);
    }
}
