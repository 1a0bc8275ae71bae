package io.raftx.kv;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The KV snapshot file format, version 3 (big-endian):
 *
 * <pre>
 * magic:i32 = "RXKV"  version:i32 = 3  revision:i64  count:i64
 * count × { key:bytes value:bytes createRevision:i64 modRevision:i64 version:i64 lease:i64 }   (keys ascending)
 * leaseCount:i64  leaseCount × { id:i64 ttlSeconds:i64 }   (ids ascending)
 * compactedRevision:i64  historyCount:i64                  (version 3 only: the MVCC history)
 * historyCount × { revision:i64 changeCount:i32 changeCount × { key:bytes present:u8 [1: value:bytes
 *                  createRevision:i64 modRevision:i64 version:i64 lease:i64] } }   (revisions ascending)
 * crc32:i64  (CRC32 of every byte before it)
 * bytes := length:i32 data
 * </pre>
 *
 * Versions 1 (before leases: no {@code lease} per key, no lease table) and 2 (before the history) are still read, so
 * snapshots taken by an older build restore, with the history starting at the snapshot's revision; an older build
 * cannot read version 3.
 *
 * Reading builds a fresh map and verifies the checksum and the structure before anything is handed back, so a
 * corrupt or truncated snapshot leaves the live state untouched. Streams are not closed: the caller owns them.
 */
final class KvSnapshotFormat {

    static final int MAGIC = 0x52584B56; // "RXKV"
    static final int VERSION = 3;
    private static final int VERSION_WITHOUT_LEASES = 1;
    private static final int VERSION_WITHOUT_HISTORY = 2;

    record Contents(long revision, TreeMap<ByteKey, StoredValue> data, TreeMap<Long, Long> leases,
                    long compactedRevision, List<RevisionHistory.Revision> history) { }

    private KvSnapshotFormat() {
    }

    static void write(OutputStream target, long revision, NavigableMap<ByteKey, StoredValue> data,
                      Map<Long, Long> leases, long compactedRevision, List<RevisionHistory.Revision> history)
            throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(new NonClosing(target), new CRC32());
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 64 * 1024));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(revision);
        out.writeLong(data.size());
        for (Map.Entry<ByteKey, StoredValue> e : data.entrySet()) {
            writeBytes(out, e.getKey().bytesUnsafe());
            writeValue(out, e.getValue());
        }
        out.writeLong(leases.size());
        for (Map.Entry<Long, Long> lease : new TreeMap<>(leases).entrySet()) {
            out.writeLong(lease.getKey());
            out.writeLong(lease.getValue());
        }
        out.writeLong(compactedRevision);
        out.writeLong(history.size());
        for (RevisionHistory.Revision r : history) {
            out.writeLong(r.revision());
            out.writeInt(r.keys().length);
            for (int i = 0; i < r.keys().length; i++) {
                writeBytes(out, r.keys()[i].bytesUnsafe());
                out.writeBoolean(r.before()[i] != null);
                if (r.before()[i] != null) {
                    writeValue(out, r.before()[i]);
                }
            }
        }
        out.flush();
        long crc = checked.getChecksum().getValue();
        out.writeLong(crc);
        out.flush();
    }

    static Contents read(InputStream source) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(source, new CRC32());
        DataInputStream in = new DataInputStream(checked);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a RaftX KV snapshot (magic " + Integer.toHexString(magic) + ")");
        }
        int version = in.readInt();
        if (version < VERSION_WITHOUT_LEASES || version > VERSION) {
            throw new IOException("unsupported KV snapshot version " + version + " (this build reads "
                    + VERSION_WITHOUT_LEASES + " to " + VERSION + ")");
        }
        boolean withLeases = version >= VERSION_WITHOUT_HISTORY;
        long revision = in.readLong();
        long count = in.readLong();
        if (revision < 0 || count < 0) {
            throw new IOException("corrupt KV snapshot header: revision " + revision + ", count " + count);
        }
        TreeMap<ByteKey, StoredValue> data = new TreeMap<>();
        ByteKey previous = null;
        for (long i = 0; i < count; i++) {
            ByteKey key = ByteKey.of(readBytes(in));
            StoredValue v = readValue(in, withLeases, key, revision);
            if (key.length() == 0 || (previous != null && previous.compareTo(key) >= 0)) {
                throw new IOException("corrupt KV snapshot: entry " + i + " key " + key + " is empty or out of order");
            }
            data.put(key, v);
            previous = key;
        }
        TreeMap<Long, Long> leases = new TreeMap<>();
        long leaseCount = withLeases ? in.readLong() : 0;
        for (long i = 0; i < leaseCount; i++) {
            long id = in.readLong();
            long ttl = in.readLong();
            if (id <= 0 || leases.put(id, ttl) != null) {
                throw new IOException("corrupt KV snapshot: lease entry " + i + " has id " + id);
            }
        }
        long compactedRevision = version == VERSION ? in.readLong() : revision;
        List<RevisionHistory.Revision> history = version == VERSION
                ? readHistory(in, compactedRevision, revision) : List.of();
        long computed = checked.getChecksum().getValue();
        long stored = in.readLong();
        if (stored != computed) {
            throw new IOException("KV snapshot checksum mismatch: stored " + Long.toHexString(stored) + ", computed "
                    + Long.toHexString(computed));
        }
        return new Contents(revision, data, leases, compactedRevision, history);
    }

    private static List<RevisionHistory.Revision> readHistory(DataInputStream in, long compactedRevision,
                                                              long revision) throws IOException {
        long count = in.readLong();
        if (compactedRevision < 0 || compactedRevision > revision || count < 0 || count > revision) {
            throw new IOException("corrupt KV snapshot history: compacted revision " + compactedRevision + ", "
                    + count + " revisions, store revision " + revision);
        }
        List<RevisionHistory.Revision> history = new ArrayList<>();
        long previous = compactedRevision;
        for (long i = 0; i < count; i++) {
            long rev = in.readLong();
            int changes = in.readInt();
            if (rev <= previous || rev > revision || changes < 1) {
                throw new IOException("corrupt KV snapshot history: record " + i + " at revision " + rev + " with "
                        + changes + " changes after revision " + previous);
            }
            ByteKey[] keys = new ByteKey[changes];
            StoredValue[] before = new StoredValue[changes];
            for (int c = 0; c < changes; c++) {
                keys[c] = ByteKey.of(readBytes(in));
                before[c] = in.readBoolean() ? readValue(in, true, keys[c], rev) : null;
            }
            history.add(new RevisionHistory.Revision(rev, keys, before));
            previous = rev;
        }
        return history;
    }

    private static void writeValue(DataOutputStream out, StoredValue v) throws IOException {
        writeBytes(out, v.value());
        out.writeLong(v.createRevision());
        out.writeLong(v.modRevision());
        out.writeLong(v.version());
        out.writeLong(v.lease());
    }

    private static StoredValue readValue(DataInputStream in, boolean withLease, ByteKey key, long revision)
            throws IOException {
        StoredValue v = new StoredValue(readBytes(in), in.readLong(), in.readLong(), in.readLong(),
                withLease ? in.readLong() : 0);
        if (v.version() < 1 || v.createRevision() < 1 || v.createRevision() > v.modRevision()
                || v.modRevision() > revision) {
            throw new IOException("corrupt KV snapshot: entry " + key + " has inconsistent metadata " + v);
        }
        return v;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt KV snapshot: negative length " + n);
        }
        // readNBytes grows its buffer as data arrives: a corrupt length cannot allocate more than the stream holds.
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("truncated KV snapshot: wanted " + n + " bytes, got " + b.length);
        }
        return b;
    }

    /** The caller owns the target stream; our wrappers must not close it. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
