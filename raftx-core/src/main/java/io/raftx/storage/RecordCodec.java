package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import io.raftx.raft.Membership;
import io.raftx.raft.SnapshotMeta;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The binary records a file-backed storage keeps. Every record is
 * <pre>
 *   format version (1 byte) | body | CRC32C (4 bytes, big-endian)
 * </pre>
 * where the CRC covers a context prefix that is <em>not</em> stored (a record kind tag and, for log entries, the
 * entry's index, which is the record's key), then the version and body. A record that was damaged, truncated, or
 * stored under the wrong key fails its check.
 *
 * <p>Bodies (integers are unsigned LEB128 varints):
 * <ul>
 *   <li>entry: {@code type (1 byte: 0 NORMAL, 1 NOOP, 2 CONFIG) | term | data length | data}</li>
 *   <li>hard state: {@code term | commit | votedFor length + 1 (0 for none) | votedFor UTF-8}</li>
 *   <li>log start: {@code firstIndex | term of firstIndex - 1}</li>
 *   <li>snapshot: {@code index | term | membership length | membership (UTF-8, {@link Membership#encode()})}</li>
 * </ul>
 */
final class RecordCodec {

    static final int VERSION = 1;

    private static final byte TAG_ENTRY = 'E';
    private static final byte TAG_HARD_STATE = 'H';
    private static final byte TAG_LOG_START = 'S';
    private static final byte TAG_SNAPSHOT = 'P';

    /** Where the log starts: its first index and the term of the entry just before it. */
    record LogStart(long firstIndex, long prevTerm) {
        static final LogStart INITIAL = new LogStart(1, 0);
    }

    /** A record that failed its checks. The caller adds where it came from. */
    static final class CorruptRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptRecordException(String message) {
            super(message);
        }
    }

    private RecordCodec() {
    }

    // ---- entries

    static byte[] encodeEntry(Entry e) {
        byte[] data = e.data();
        Writer w = new Writer(2 + varLongSize(e.term()) + varLongSize(data.length) + data.length + 4); // exact
        w.u8(VERSION);
        w.u8(switch (e.type()) {
            case NORMAL -> 0;
            case NOOP -> 1;
            case CONFIG -> 2; // membership: losing the type would lose the configuration on restart
        });
        w.varLong(e.term());
        w.varLong(data.length);
        w.bytes(data);
        return w.sealed(TAG_ENTRY, e.index());
    }

    private static int varLongSize(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
    }

    static Entry decodeEntry(long index, byte[] record) throws CorruptRecordException {
        Reader r = new Reader(record, TAG_ENTRY, index);
        int typeCode = r.u8();
        EntryType type = switch (typeCode) {
            case 0 -> EntryType.NORMAL;
            case 1 -> EntryType.NOOP;
            case 2 -> EntryType.CONFIG;
            default -> throw new CorruptRecordException("unknown entry type " + typeCode);
        };
        long term = r.varLong();
        int length = r.length();
        byte[] data = r.bytes(length);
        r.end();
        if (term < 1) {
            throw new CorruptRecordException("entry term " + term + " is not positive");
        }
        return new Entry(term, index, type, data);
    }

    // ---- hard state

    static byte[] encodeHardState(HardState hs) {
        byte[] vote = hs.votedFor() == null ? null : hs.votedFor().getBytes(StandardCharsets.UTF_8);
        Writer w = new Writer(1 + 10 + 10 + 5 + (vote == null ? 0 : vote.length) + 4);
        w.u8(VERSION);
        w.varLong(hs.term());
        w.varLong(hs.commit());
        if (vote == null) {
            w.varLong(0);
        } else {
            w.varLong(vote.length + 1L);
            w.bytes(vote);
        }
        return w.sealed(TAG_HARD_STATE, 0);
    }

    static HardState decodeHardState(byte[] record) throws CorruptRecordException {
        Reader r = new Reader(record, TAG_HARD_STATE, 0);
        long term = r.varLong();
        long commit = r.varLong();
        long voteLength = r.varLong();
        String votedFor = null;
        if (voteLength > 0) {
            if (voteLength - 1 > r.remaining()) {
                throw new CorruptRecordException("votedFor length " + (voteLength - 1) + " exceeds the record");
            }
            votedFor = new String(r.bytes((int) (voteLength - 1)), StandardCharsets.UTF_8);
        }
        r.end();
        if (term < 0 || commit < 0) {
            throw new CorruptRecordException("negative term or commit");
        }
        return new HardState(term, votedFor, commit);
    }

    // ---- log start

    static byte[] encodeLogStart(LogStart start) {
        Writer w = new Writer(1 + 10 + 10 + 4);
        w.u8(VERSION);
        w.varLong(start.firstIndex());
        w.varLong(start.prevTerm());
        return w.sealed(TAG_LOG_START, 0);
    }

    static LogStart decodeLogStart(byte[] record) throws CorruptRecordException {
        Reader r = new Reader(record, TAG_LOG_START, 0);
        long first = r.varLong();
        long prevTerm = r.varLong();
        r.end();
        if (first < 1 || prevTerm < 0 || (first == 1 && prevTerm != 0)) {
            throw new CorruptRecordException("invalid log start " + first + "/" + prevTerm);
        }
        return new LogStart(first, prevTerm);
    }

    // ---- snapshot meta

    static byte[] encodeSnapshotMeta(SnapshotMeta meta) {
        byte[] membership = meta.membership().encode();
        Writer w = new Writer(1 + 10 + 10 + 5 + membership.length + 4);
        w.u8(VERSION);
        w.varLong(meta.index());
        w.varLong(meta.term());
        w.varLong(membership.length);
        w.bytes(membership);
        return w.sealed(TAG_SNAPSHOT, 0);
    }

    static SnapshotMeta decodeSnapshotMeta(byte[] record) throws CorruptRecordException {
        Reader r = new Reader(record, TAG_SNAPSHOT, 0);
        long index = r.varLong();
        long term = r.varLong();
        byte[] membership = r.bytes(r.length());
        r.end();
        try {
            return new SnapshotMeta(index, term, Membership.decode(membership));
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException("invalid snapshot meta: " + e.getMessage());
        }
    }

    // ---- plumbing

    private static int crc(byte tag, long context, byte[] buf, int len) {
        CRC32C crc = new CRC32C();
        crc.update(tag);
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (context >>> shift));
        }
        crc.update(buf, 0, len);
        return (int) crc.getValue();
    }

    private static final class Writer {
        private byte[] buf;
        private int pos;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        void u8(int v) {
            buf[pos++] = (byte) v;
        }

        void varLong(long v) {
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void bytes(byte[] b) {
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        byte[] sealed(byte tag, long context) {
            int c = crc(tag, context, buf, pos);
            buf[pos++] = (byte) (c >>> 24);
            buf[pos++] = (byte) (c >>> 16);
            buf[pos++] = (byte) (c >>> 8);
            buf[pos++] = (byte) c;
            if (pos != buf.length) {
                byte[] exact = new byte[pos];
                System.arraycopy(buf, 0, exact, 0, pos);
                buf = exact;
            }
            return buf;
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        /** Checks the frame (length, CRC, version) before any field is read. */
        Reader(byte[] record, byte tag, long context) throws CorruptRecordException {
            if (record == null) {
                throw new CorruptRecordException("record is missing");
            }
            if (record.length < 5) {
                throw new CorruptRecordException("record is " + record.length + " bytes, too short");
            }
            this.buf = record;
            this.end = record.length - 4;
            int stored = ((record[end] & 0xFF) << 24) | ((record[end + 1] & 0xFF) << 16)
                    | ((record[end + 2] & 0xFF) << 8) | (record[end + 3] & 0xFF);
            int actual = crc(tag, context, record, end);
            if (stored != actual) {
                throw new CorruptRecordException(String.format("checksum mismatch (stored %08x, computed %08x)",
                        stored, actual));
            }
            int version = record[0] & 0xFF;
            if (version != VERSION) {
                throw new CorruptRecordException("unsupported record format version " + version
                        + " (this build reads version " + VERSION + ")");
            }
            pos = 1;
        }

        int remaining() {
            return end - pos;
        }

        int u8() throws CorruptRecordException {
            if (pos >= end) {
                throw new CorruptRecordException("record ends early");
            }
            return buf[pos++] & 0xFF;
        }

        long varLong() throws CorruptRecordException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new CorruptRecordException("malformed varint");
        }

        int length() throws CorruptRecordException {
            long n = varLong();
            if (n > remaining()) {
                throw new CorruptRecordException("length " + n + " exceeds the record");
            }
            return (int) n;
        }

        byte[] bytes(int n) {
            byte[] out = new byte[n];
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }

        void end() throws CorruptRecordException {
            if (pos != end) {
                throw new CorruptRecordException((end - pos) + " unexpected bytes after the record body");
            }
        }
    }
}
