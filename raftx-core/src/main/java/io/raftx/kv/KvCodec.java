package io.raftx.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The binary form of KV commands (log entry payloads) and their results. Big-endian, length-prefixed:
 *
 * <pre>
 * command  := version:u8(=1) ( kind:u8(1=TXN) compares ops(then) ops(else)
 *                             | kind:u8(2=LEASE) action:u8(1=GRANT,2=REVOKE,3=KEEP_ALIVE) id:i64 ttlSeconds:i64
 *                             | kind:u8(3=COMPACT) revision:i64 )
 * compares := count:i32 { target:u8 operator:u8 key:bytes [target has RANGE_FLAG: end] (value:bytes | number:i64) }
 * ops      := count:i32 { type:u8(1=PUT,2=DELETE,3=GET,4=DELETE_RANGE,5=RANGE,6=PUT_WITH_LEASE,7=RANGE_AT) key:bytes
 *                         [4,5,7: end] [1,6: value:bytes] [1,2,4,6: returnPrevious:u8] [6: lease:i64] [7: revision:i64] }
 * end      := bounded:u8 [1: end:bytes]          (0: every key from key on)
 * response := version:u8(=1) status:u8 (0=OK: succeeded:u8 revision:i64 count:i32 {opResult} | 1=ERROR: message:bytes
 *                                     | 2=LEASE_NOT_FOUND: id:i64 | 3=LEASE_EXISTS: id:i64
 *                                     | 4=COMPACTED: requested:i64 bound:i64 | 5=FUTURE_REVISION: requested:i64 bound:i64)
 * opResult := type:u8 ( 1..3: [DELETE: deleted:i64] present:u8 [kv]
 *                     | 4: deleted:i64 count:i32 {kv} | 5: count:i32 {kv} )
 * kv       := key:bytes value:bytes create:i64 mod:i64 version:i64
 * bytes    := length:i32 data
 * </pre>
 *
 * Range compares (target code with {@code RANGE_FLAG} 0x80), op types 4 to 7, lease and compact commands and the
 * lease and revision statuses were added after the first release without a version bump: commands without them encode exactly as
 * before, so existing logs read unchanged, but a node of an older build rejects such a command as malformed while
 * newer nodes apply it. Upgrade every node before clients use range deletes, range reads in transactions, range
 * compares or leases.
 *
 * Every request is a transaction: put, delete, putIfAbsent, update and the compare-and-sets are encoded as
 * transactions by {@link KvClient}, so the state machine has one code path. Enum codes are explicit, never
 * ordinals, so reordering an enum cannot change the meaning of entries already in a log. Decoding checks every
 * length against the bytes left, so a corrupt entry fails with {@link MalformedCommandException} instead of a huge
 * allocation.
 */
public final class KvCodec {

    static final byte VERSION = 1;
    private static final byte KIND_TXN = 1;
    private static final byte KIND_LEASE = 2;
    private static final byte KIND_COMPACT = 3;
    private static final byte STATUS_OK = 0;
    private static final byte STATUS_ERROR = 1;
    private static final byte STATUS_LEASE_NOT_FOUND = 2;
    private static final byte STATUS_LEASE_EXISTS = 3;
    private static final byte STATUS_COMPACTED = 4;
    private static final byte STATUS_FUTURE_REVISION = 5;
    private static final byte OP_PUT_WITH_LEASE = 6;
    private static final byte OP_PUT = 1;
    private static final byte OP_DELETE = 2;
    private static final byte OP_GET = 3;
    private static final byte OP_DELETE_RANGE = 4;
    private static final byte OP_RANGE = 5;
    private static final byte OP_RANGE_AT = 7;
    private static final int RANGE_FLAG = 0x80;

    private KvCodec() {
    }

    // ---- commands ----

    public static byte[] encodeTxn(Txn txn) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(KIND_TXN);
            out.writeInt(txn.compares().size());
            for (Compare c : txn.compares()) {
                KeyRange range = c.range();
                out.writeByte(targetCode(c.target()) | (range == null ? 0 : RANGE_FLAG));
                out.writeByte(operatorCode(c.operator()));
                writeBytes(out, c.key());
                if (range != null) {
                    writeEnd(out, range.end());
                }
                if (c.target() == Compare.Target.VALUE) {
                    writeBytes(out, c.value());
                } else {
                    out.writeLong(c.number());
                }
            }
            writeOps(out, txn.thenOps());
            writeOps(out, txn.elseOps());
        });
    }

    private static void writeOps(DataOutputStream out, List<Op> ops) throws IOException {
        out.writeInt(ops.size());
        for (Op op : ops) {
            if (op instanceof Op.Put p) {
                out.writeByte(p.lease() == 0 ? OP_PUT : OP_PUT_WITH_LEASE);
                writeBytes(out, p.key());
                writeBytes(out, p.value());
                out.writeBoolean(p.returnPrevious());
                if (p.lease() != 0) {
                    out.writeLong(p.lease());
                }
            } else if (op instanceof Op.Delete d) {
                out.writeByte(OP_DELETE);
                writeBytes(out, d.key());
                out.writeBoolean(d.returnPrevious());
            } else if (op instanceof Op.DeleteRange d) {
                out.writeByte(OP_DELETE_RANGE);
                writeBytes(out, d.range().from());
                writeEnd(out, d.range().end());
                out.writeBoolean(d.returnPrevious());
            } else if (op instanceof Op.Range g) {
                out.writeByte(g.revision() == 0 ? OP_RANGE : OP_RANGE_AT);
                writeBytes(out, g.range().from());
                writeEnd(out, g.range().end());
                if (g.revision() != 0) {
                    out.writeLong(g.revision());
                }
            } else {
                out.writeByte(OP_GET);
                writeBytes(out, op.key());
            }
        }
    }

    /** Decodes a command; throws {@link MalformedCommandException} unless it is a well-formed current-version one. */
    public static Txn decodeTxn(byte[] bytes) {
        Reader r = new Reader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            byte kind = r.u8();
            if (kind != KIND_TXN) {
                throw new MalformedCommandException("unknown KV command kind " + kind);
            }
            int n = r.count();
            List<Compare> compares = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte targetByte = r.u8();
                Compare.Target target = target((byte) (targetByte & ~RANGE_FLAG));
                Compare.Operator operator = operator(r.u8());
                byte[] key = r.key();
                KeyRange range = (targetByte & RANGE_FLAG) != 0 ? new KeyRange(key, r.end()) : null;
                Compare c = target == Compare.Target.VALUE
                        ? new Compare(key, target, operator, 0, r.bytes())
                        : new Compare(key, target, operator, r.i64(), null);
                compares.add(range == null ? c : c.over(range));
            }
            List<Op> thenOps = readOps(r);
            List<Op> elseOps = readOps(r);
            return new Txn(compares, thenOps, elseOps);
        });
    }

    private static List<Op> readOps(Reader r) {
        int n = r.count();
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte type = r.u8();
            byte[] key = r.key();
            ops.add(switch (type) {
                case OP_PUT -> new Op.Put(key, r.bytes(), r.bool());
                case OP_PUT_WITH_LEASE -> new Op.Put(key, r.bytes(), r.bool(), r.i64());
                case OP_DELETE -> new Op.Delete(key, r.bool());
                case OP_GET -> new Op.Get(key);
                case OP_DELETE_RANGE -> new Op.DeleteRange(new KeyRange(key, r.end()), r.bool());
                case OP_RANGE -> new Op.Range(new KeyRange(key, r.end()));
                case OP_RANGE_AT -> new Op.Range(new KeyRange(key, r.end()), r.revision());
                default -> throw new MalformedCommandException("unknown op type " + type);
            });
        }
        return ops;
    }

    public static byte[] encodeLease(LeaseCommand c) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(KIND_LEASE);
            out.writeByte(switch (c.action()) {
                case GRANT -> 1;
                case REVOKE -> 2;
                case KEEP_ALIVE -> 3;
            });
            out.writeLong(c.id());
            out.writeLong(c.ttlSeconds());
        });
    }

    /** Compacts the history: reads below {@code revision} are refused from then on (etcd's Compact). */
    public static byte[] encodeCompact(long revision) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(KIND_COMPACT);
            out.writeLong(revision);
        });
    }

    static boolean isCompactCommand(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == VERSION && bytes[1] == KIND_COMPACT;
    }

    static long decodeCompact(byte[] bytes) {
        Reader r = new Reader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            r.u8(); // kind, checked by isCompactCommand
            return r.revision();
        });
    }

    /** Whether {@code bytes} is a lease command (else it is a transaction, or malformed). */
    static boolean isLeaseCommand(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == VERSION && bytes[1] == KIND_LEASE;
    }

    static LeaseCommand decodeLease(byte[] bytes) {
        Reader r = new Reader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            r.u8(); // kind, checked by isLeaseCommand
            LeaseCommand.Action action = switch (r.u8()) {
                case 1 -> LeaseCommand.Action.GRANT;
                case 2 -> LeaseCommand.Action.REVOKE;
                case 3 -> LeaseCommand.Action.KEEP_ALIVE;
                default -> throw new MalformedCommandException("unknown lease action");
            };
            long id = r.i64();
            long ttl = r.i64();
            if (id <= 0) {
                throw new MalformedCommandException("lease id " + id + " is not positive");
            }
            return new LeaseCommand(action, id, ttl);
        });
    }

    // ---- responses ----

    static byte[] encodeLeaseError(LeaseException e) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(e.reason() == LeaseException.Reason.NOT_FOUND ? STATUS_LEASE_NOT_FOUND : STATUS_LEASE_EXISTS);
            out.writeLong(e.leaseId());
        });
    }

    static byte[] encodeRevisionError(RevisionException e) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(e.reason() == RevisionException.Reason.COMPACTED ? STATUS_COMPACTED : STATUS_FUTURE_REVISION);
            out.writeLong(e.requested());
            out.writeLong(e.bound());
        });
    }

    public static byte[] encodeResult(TxnResult result) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(STATUS_OK);
            out.writeBoolean(result.succeeded());
            out.writeLong(result.revision());
            out.writeInt(result.results().size());
            for (OpResult op : result.results()) {
                if (op instanceof OpResult.Put p) {
                    out.writeByte(OP_PUT);
                    writeKeyValue(out, p.previous());
                } else if (op instanceof OpResult.Delete d) {
                    out.writeByte(OP_DELETE);
                    out.writeLong(d.deleted());
                    writeKeyValue(out, d.previous());
                } else if (op instanceof OpResult.DeleteRange d) {
                    out.writeByte(OP_DELETE_RANGE);
                    out.writeLong(d.deleted());
                    writeKeyValues(out, d.previous());
                } else if (op instanceof OpResult.Range g) {
                    out.writeByte(OP_RANGE);
                    writeKeyValues(out, g.keyValues());
                } else {
                    out.writeByte(OP_GET);
                    writeKeyValue(out, ((OpResult.Get) op).keyValue());
                }
            }
        });
    }

    public static byte[] encodeError(String message) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(STATUS_ERROR);
            writeBytes(out, message.getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * Decodes a response. An error response (the state machine rejected the command; nothing changed) becomes an
     * {@link InvalidRequestException}.
     */
    public static TxnResult decodeResult(byte[] bytes) {
        Reader r = new Reader(bytes, "response");
        return r.decode(() -> {
            r.expectVersion();
            byte status = r.u8();
            if (status == STATUS_ERROR) {
                throw new InvalidRequestException("the KV state machine rejected the command (nothing changed): "
                        + new String(r.bytes(), StandardCharsets.UTF_8));
            }
            if (status == STATUS_LEASE_NOT_FOUND || status == STATUS_LEASE_EXISTS) {
                throw new LeaseException(status == STATUS_LEASE_NOT_FOUND ? LeaseException.Reason.NOT_FOUND
                        : LeaseException.Reason.EXISTS, r.i64());
            }
            if (status == STATUS_COMPACTED || status == STATUS_FUTURE_REVISION) {
                throw new RevisionException(status == STATUS_COMPACTED ? RevisionException.Reason.COMPACTED
                        : RevisionException.Reason.FUTURE, r.i64(), r.i64());
            }
            if (status != STATUS_OK) {
                throw new MalformedCommandException("unknown response status " + status);
            }
            boolean succeeded = r.bool();
            long revision = r.i64();
            int n = r.count();
            List<OpResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte type = r.u8();
                results.add(switch (type) {
                    case OP_PUT -> new OpResult.Put(readKeyValue(r));
                    case OP_DELETE -> new OpResult.Delete(r.i64(), readKeyValue(r));
                    case OP_GET -> new OpResult.Get(readKeyValue(r));
                    case OP_DELETE_RANGE -> new OpResult.DeleteRange(r.i64(), readKeyValues(r));
                    case OP_RANGE -> new OpResult.Range(readKeyValues(r));
                    default -> throw new MalformedCommandException("unknown op result type " + type);
                });
            }
            return new TxnResult(succeeded, revision, results);
        });
    }

    private static void writeKeyValue(DataOutputStream out, Optional<KeyValue> kv) throws IOException {
        out.writeBoolean(kv.isPresent());
        if (kv.isPresent()) {
            KeyValue v = kv.get();
            writeBytes(out, v.keyUnsafe());
            writeBytes(out, v.valueUnsafe());
            out.writeLong(v.createRevision());
            out.writeLong(v.modRevision());
            out.writeLong(v.version());
        }
    }

    private static void writeKeyValues(DataOutputStream out, List<KeyValue> kvs) throws IOException {
        out.writeInt(kvs.size());
        for (KeyValue kv : kvs) {
            writeKeyValue(out, Optional.of(kv));
        }
    }

    private static List<KeyValue> readKeyValues(Reader r) {
        int n = r.count();
        List<KeyValue> kvs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Optional<KeyValue> kv = readKeyValue(r);
            if (kv.isEmpty()) {
                throw new MalformedCommandException("missing key-value in a range result");
            }
            kvs.add(kv.get());
        }
        return kvs;
    }

    private static Optional<KeyValue> readKeyValue(Reader r) {
        if (!r.bool()) {
            return Optional.empty();
        }
        return Optional.of(new KeyValue(r.bytes(), r.bytes(), r.i64(), r.i64(), r.i64()));
    }

    // ---- codes ----

    private static int targetCode(Compare.Target t) {
        return switch (t) {
            case VALUE -> 1;
            case VERSION -> 2;
            case MOD_REVISION -> 3;
            case CREATE_REVISION -> 4;
        };
    }

    private static Compare.Target target(byte code) {
        return switch (code) {
            case 1 -> Compare.Target.VALUE;
            case 2 -> Compare.Target.VERSION;
            case 3 -> Compare.Target.MOD_REVISION;
            case 4 -> Compare.Target.CREATE_REVISION;
            default -> throw new MalformedCommandException("unknown compare target " + code);
        };
    }

    private static int operatorCode(Compare.Operator o) {
        return switch (o) {
            case EQUAL -> 1;
            case NOT_EQUAL -> 2;
            case LESS -> 3;
            case GREATER -> 4;
        };
    }

    private static Compare.Operator operator(byte code) {
        return switch (code) {
            case 1 -> Compare.Operator.EQUAL;
            case 2 -> Compare.Operator.NOT_EQUAL;
            case 3 -> Compare.Operator.LESS;
            case 4 -> Compare.Operator.GREATER;
            default -> throw new MalformedCommandException("unknown compare operator " + code);
        };
    }

    // ---- plumbing ----

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: memory stream
        }
        return bytes.toByteArray();
    }

    private static void writeEnd(DataOutputStream out, byte[] end) throws IOException {
        out.writeBoolean(end != null);
        if (end != null) {
            writeBytes(out, end);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** Bounds-checked reading; every failure becomes a {@link MalformedCommandException}. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final String what;

        Reader(byte[] bytes, String what) {
            this.buf = ByteBuffer.wrap(bytes);
            this.what = what;
        }

        <T> T decode(Supplier<T> body) {
            T result;
            try {
                result = body.get();
            } catch (BufferUnderflowException e) {
                throw new MalformedCommandException("truncated KV " + what + " (" + buf.capacity() + " bytes)");
            }
            if (buf.hasRemaining()) {
                throw new MalformedCommandException(buf.remaining() + " unexpected trailing bytes after the KV "
                        + what);
            }
            return result;
        }

        void expectVersion() {
            if (!buf.hasRemaining()) {
                throw new MalformedCommandException("empty KV " + what);
            }
            byte v = buf.get();
            if (v != VERSION) {
                throw new MalformedCommandException("unsupported KV " + what + " version " + v + " (this build reads "
                        + VERSION + ")");
            }
        }

        byte u8() {
            return buf.get();
        }

        boolean bool() {
            byte b = buf.get();
            if (b != 0 && b != 1) {
                throw new MalformedCommandException("invalid boolean " + b + " in KV " + what);
            }
            return b == 1;
        }

        long i64() {
            return buf.getLong();
        }

        /** A revision in a command: positive. */
        long revision() {
            long rev = buf.getLong();
            if (rev <= 0) {
                throw new MalformedCommandException("revision " + rev + " in KV " + what + " is not positive");
            }
            return rev;
        }

        /** A list length: each element takes at least one byte, so more than the bytes left is corrupt. */
        int count() {
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new MalformedCommandException("invalid count " + n + " in KV " + what);
            }
            return n;
        }

        byte[] bytes() {
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new MalformedCommandException("invalid length " + n + " in KV " + what + " ("
                        + buf.remaining() + " bytes left)");
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        /** A range end: null for "every key from the start on". */
        byte[] end() {
            return bool() ? bytes() : null;
        }

        /** Keys are never empty, whatever the limits of the node that proposed them. */
        byte[] key() {
            byte[] k = bytes();
            if (k.length == 0) {
                throw new MalformedCommandException("empty key in KV " + what);
            }
            return k;
        }
    }
}
