package io.raftx.kv;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The transaction command: its compares and its then/else ops (format in {@link KvCodec}). */
final class TxnCommandCodec {

    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;
    static final byte OP_GET = 3;
    static final byte OP_DELETE_RANGE = 4;
    static final byte OP_RANGE = 5;
    private static final byte OP_PUT_WITH_LEASE = 6;
    private static final byte OP_RANGE_AT = 7;
    private static final int RANGE_FLAG = 0x80;

    private TxnCommandCodec() {
    }

    static byte[] encode(Txn txn) {
        return KvWire.write(sizeHint(txn), out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(KvWire.KIND_TXN);
            out.writeInt(txn.compares().size());
            for (Compare c : txn.compares()) {
                KeyRange range = c.range();
                out.writeByte(targetCode(c.target()) | (range == null ? 0 : RANGE_FLAG));
                out.writeByte(operatorCode(c.operator()));
                KvWire.writeBytes(out, c.key());
                if (range != null) {
                    KvWire.writeEnd(out, range.end());
                }
                if (c.target() == Compare.Target.VALUE) {
                    KvWire.writeBytes(out, c.value());
                } else {
                    out.writeLong(c.number());
                }
            }
            writeOps(out, txn.thenOps());
            writeOps(out, txn.elseOps());
        });
    }

    /** About the encoded size: the keys and values plus a few bytes per compare and op, so the buffer rarely grows. */
    private static int sizeHint(Txn txn) {
        int size = 16 + opsSizeHint(txn.thenOps()) + opsSizeHint(txn.elseOps());
        for (Compare c : txn.compares()) {
            size += 32 + c.key().length + (c.value() == null ? 0 : c.value().length);
        }
        return size;
    }

    private static int opsSizeHint(List<Op> ops) {
        int size = 0;
        for (Op op : ops) {
            size += 24 + (op.key() == null ? 0 : op.key().length) + (op instanceof Op.Put p ? p.value().length : 0);
        }
        return size;
    }

    private static void writeOps(DataOutputStream out, List<Op> ops) throws IOException {
        out.writeInt(ops.size());
        for (Op op : ops) {
            if (op instanceof Op.Put p) {
                out.writeByte(p.lease() == 0 ? OP_PUT : OP_PUT_WITH_LEASE);
                KvWire.writeBytes(out, p.key());
                KvWire.writeBytes(out, p.value());
                out.writeBoolean(p.returnPrevious());
                if (p.lease() != 0) {
                    out.writeLong(p.lease());
                }
            } else if (op instanceof Op.Delete d) {
                out.writeByte(OP_DELETE);
                KvWire.writeBytes(out, d.key());
                out.writeBoolean(d.returnPrevious());
            } else if (op instanceof Op.DeleteRange d) {
                out.writeByte(OP_DELETE_RANGE);
                KvWire.writeBytes(out, d.range().from());
                KvWire.writeEnd(out, d.range().end());
                out.writeBoolean(d.returnPrevious());
            } else if (op instanceof Op.Range g) {
                out.writeByte(g.revision() == 0 ? OP_RANGE : OP_RANGE_AT);
                KvWire.writeBytes(out, g.range().from());
                KvWire.writeEnd(out, g.range().end());
                if (g.revision() != 0) {
                    out.writeLong(g.revision());
                }
            } else {
                out.writeByte(OP_GET);
                KvWire.writeBytes(out, op.key());
            }
        }
    }

    /** Decodes a command; throws {@link MalformedCommandException} unless it is a well-formed current-version one. */
    static Txn decode(byte[] bytes) {
        KvReader r = new KvReader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            byte kind = r.u8();
            if (kind != KvWire.KIND_TXN) {
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

    private static List<Op> readOps(KvReader r) {
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
}
