package io.raftx.snapshot;

import io.raftx.raft.Membership;
import io.raftx.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The layout of a snapshot file, version 1 (integers big-endian):
 *
 * <pre>
 *   header   "RXSN" | version:u8 = 1 | index:i64 | term:i64 | membership length:i32 | membership
 *   payload  the runtime's bytes (opaque here)
 *   trailer  payload length:i64 | CRC32C:i32 of every byte before this field | "RXSE"
 * </pre>
 *
 * The membership is {@link Membership#encode()}'s text. A file is written once and never changed; a reader checks
 * the whole file in one pass ({@link #check}) before trusting any of it. The CRC32C of the <em>whole</em> file
 * (trailer included) is what a transfer sends after its last chunk.
 */
final class SnapshotFormat {

    static final int MAGIC = 0x5258534E;      // "RXSN"
    static final int END_MAGIC = 0x52585345;  // "RXSE"
    static final int VERSION = 1;
    /** Payload length, checksum and end marker. */
    static final int TRAILER_BYTES = 16;
    private static final int FIXED_HEADER_BYTES = 4 + 1 + 8 + 8 + 4;
    private static final int MAX_MEMBERSHIP_BYTES = 1 << 20;
    private static final int READ_BUFFER_BYTES = 1 << 20;

    /** What checking a complete file found. */
    record Checked(SnapshotMeta meta, long payloadOffset, long payloadLength, long fileSize, int fileCrc32c) { }

    private SnapshotFormat() {
    }

    static byte[] header(SnapshotMeta meta) {
        byte[] membership = meta.membership().encode();
        return ByteBuffer.allocate(FIXED_HEADER_BYTES + membership.length)
                .putInt(MAGIC).put((byte) VERSION).putLong(meta.index()).putLong(meta.term())
                .putInt(membership.length).put(membership).array();
    }

    /**
     * Reads and checks the whole file: header, sizes, checksum and end marker.
     *
     * @throws CorruptSnapshotException if the file is not a complete, intact snapshot file
     * @throws IOException              if it cannot be read
     */
    static Checked check(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer fixed = ByteBuffer.allocate(FIXED_HEADER_BYTES);
            readFully(ch, fixed, 0, file);
            fixed.flip();
            int magic = fixed.getInt();
            if (magic != MAGIC) {
                throw new CorruptSnapshotException(file, "it is not a RaftX snapshot file (magic "
                        + Integer.toHexString(magic) + ")");
            }
            int version = fixed.get() & 0xFF;
            if (version != VERSION) {
                throw new CorruptSnapshotException(file, "it has format version " + version + ", this build reads "
                        + VERSION);
            }
            long index = fixed.getLong();
            long term = fixed.getLong();
            int membershipLength = fixed.getInt();
            if (membershipLength < 0 || membershipLength > MAX_MEMBERSHIP_BYTES
                    || FIXED_HEADER_BYTES + (long) membershipLength + TRAILER_BYTES > size) {
                throw new CorruptSnapshotException(file, "its header is damaged (membership length " + membershipLength
                        + " in a file of " + size + " bytes)");
            }
            ByteBuffer membership = ByteBuffer.allocate(membershipLength);
            readFully(ch, membership, FIXED_HEADER_BYTES, file);
            long payloadOffset = FIXED_HEADER_BYTES + (long) membershipLength;
            int[] crcs = checksums(ch, size);
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
            readFully(ch, trailer, size - TRAILER_BYTES, file);
            trailer.flip();
            long payloadLength = trailer.getLong();
            int storedCrc = trailer.getInt();
            int endMagic = trailer.getInt();
            if (endMagic != END_MAGIC || payloadLength != size - TRAILER_BYTES - payloadOffset) {
                throw new CorruptSnapshotException(file, "it is incomplete or its trailer is damaged (" + size
                        + " bytes, payload length " + payloadLength + ")");
            }
            if (storedCrc != crcs[0]) {
                throw new CorruptSnapshotException(file, String.format("its checksum does not match (stored %08x, "
                        + "computed %08x)", storedCrc, crcs[0]));
            }
            SnapshotMeta meta;
            try {
                meta = new SnapshotMeta(index, term, Membership.decode(membership.array()));
            } catch (IllegalArgumentException e) {
                throw new CorruptSnapshotException(file, "its header holds an invalid snapshot description: "
                        + e.getMessage());
            }
            return new Checked(meta, payloadOffset, payloadLength, size, crcs[1]);
        }
    }

    /** CRC32C of the bytes before the stored checksum, and of the whole file. */
    private static int[] checksums(FileChannel ch, long size) throws IOException {
        CRC32C body = new CRC32C();
        CRC32C whole = new CRC32C();
        long bodyEnd = size - 8; // the checksum field and the end marker follow
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(READ_BUFFER_BYTES, Math.max(size, 1)));
        long position = 0;
        while (position < size) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - position));
            int n = ch.read(buf, position);
            if (n < 0) {
                throw new IOException("file shrank while being read");
            }
            buf.flip();
            if (position < bodyEnd) {
                ByteBuffer bodyPart = buf.duplicate();
                bodyPart.limit((int) Math.min(n, bodyEnd - position));
                body.update(bodyPart);
            }
            whole.update(buf);
            position += n;
        }
        return new int[] {(int) body.getValue(), (int) whole.getValue()};
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new CorruptSnapshotException(file, "it ends early (" + ch.size() + " bytes)");
            }
        }
    }
}
