package io.raftx.snapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The layout of a backup file, version 1 (integers big-endian):
 *
 * <pre>
 *   header   "RXBK" | version:u8 = 1 | cluster id:utf | source node id:utf | created:i64 (epoch ms) | snapshot length:i64
 *   body     a complete snapshot file ({@link SnapshotFormat}: membership, index, term, payload, its own CRC32C)
 *   trailer  CRC32C:i32 of every byte before this field | "RXBE"
 *   utf      length:u16 | UTF-8 bytes
 * </pre>
 *
 * The outer checksum covers the header, so a damaged cluster id is caught as well as a damaged payload; the inner
 * snapshot is checked again on its own after extraction.
 */
final class BackupFormat {

    static final int MAGIC = 0x5258424B;      // "RXBK"
    static final int END_MAGIC = 0x52584245;  // "RXBE"
    static final int VERSION = 1;
    static final int TRAILER_BYTES = 8;

    /** The header's fields; {@code headerBytes} is where the embedded snapshot file starts. */
    record Header(String clusterId, String sourceNodeId, Instant created, long snapshotLength, long headerBytes) { }

    private BackupFormat() {
    }

    static void writeHeader(DataOutputStream out, String clusterId, String sourceNodeId, Instant created,
                            long snapshotLength) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        writeUtf(out, clusterId);
        writeUtf(out, sourceNodeId);
        out.writeLong(created.toEpochMilli());
        out.writeLong(snapshotLength);
    }

    static byte[] trailer(int crc32c) {
        return ByteBuffer.allocate(TRAILER_BYTES).putInt(crc32c).putInt(END_MAGIC).array();
    }

    /**
     * Reads the header and checks the whole file: size, end marker and checksum. Does not look inside the embedded
     * snapshot.
     */
    static Header check(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                java.nio.channels.Channels.newInputStream(ch.position(0))));
        Header header;
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new InvalidBackupException(file, "it is not a RaftX backup (magic " + Integer.toHexString(magic)
                        + "); make one with a backup operation (NodeMain backup, opsForCluster().backup, "
                        + "POST /actuator/raftx/backup)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new InvalidBackupException(file, "it has backup format version " + version
                        + ", this build reads " + VERSION);
            }
            String cluster = readUtf(in);
            String node = readUtf(in);
            Instant created = Instant.ofEpochMilli(in.readLong());
            long snapshotLength = in.readLong();
            long headerBytes = 4 + 1 + 2 + utfLength(cluster) + 2 + utfLength(node) + 8 + 8;
            header = new Header(cluster, node, created, snapshotLength, headerBytes);
        } catch (java.io.EOFException e) {
            throw new InvalidBackupException(file, "it is truncated or damaged in its header (" + size + " bytes)");
        }
        if (header.snapshotLength() < 0 || header.headerBytes() + header.snapshotLength() + TRAILER_BYTES != size) {
            throw new InvalidBackupException(file, "it is truncated or damaged: " + size + " bytes, but its header "
                    + "announces " + (header.headerBytes() + header.snapshotLength() + TRAILER_BYTES)
                    + "; copy it again from where it was made");
        }
        int computed = crcBefore(ch, size - TRAILER_BYTES);
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
        while (trailer.hasRemaining()) {
            if (ch.read(trailer, size - TRAILER_BYTES + trailer.position()) < 0) {
                throw new InvalidBackupException(file, "it shrank while being read");
            }
        }
        trailer.flip();
        int stored = trailer.getInt();
        int end = trailer.getInt();
        if (end != END_MAGIC) {
            throw new InvalidBackupException(file, "its end marker is missing (truncated or damaged)");
        }
        if (stored != computed) {
            throw new InvalidBackupException(file, String.format("its checksum does not match (stored %08x, computed"
                    + " %08x): the file is damaged; use another copy", stored, computed));
        }
        return header;
    }

    private static int crcBefore(FileChannel ch, long end) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long position = 0;
        while (position < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - position));
            int n = ch.read(buf, position);
            if (n < 0) {
                throw new IOException("file shrank while being read");
            }
            buf.flip();
            crc.update(buf);
            position += n;
        }
        return (int) crc.getValue();
    }

    private static int utfLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void writeUtf(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readUtf(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new java.io.EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
