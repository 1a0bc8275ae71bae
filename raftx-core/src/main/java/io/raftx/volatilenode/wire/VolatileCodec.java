package io.raftx.volatilenode.wire;

import io.raftx.volatiles.HistoryTransfer;
import io.raftx.volatiles.OpType;
import io.raftx.volatiles.SequencedOp;
import io.raftx.volatiles.VolatileMessage;
import io.raftx.volatiles.VolatileMessageType;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileSnapshot;
import io.raftx.volatiles.VolatileValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary encoding of {@link VolatileMessage}s (with their {@link HistoryTransfer}, {@link VolatileSnapshot},
 * {@link SequencedOp}s and {@link VolatileOp}s) for the volatile channel.
 *
 * <p>Format version {@value #FORMAT_VERSION}: a version byte, a type byte, then the fields in a fixed order as
 * varints (non-negative numbers as unsigned LEB128, possibly negative ones — incarnations, conditions — zig-zag),
 * length-prefixed UTF-8 strings and byte arrays. Whether a transfer follows is implied by the type. Ops in a transfer
 * are stored relative to the previous one (index gap and epoch step, normally 0 and 0: one byte each), since
 * transfers carry contiguous runs of up to a million ops.
 *
 * <p>Decoding checks everything before building an object: version, type codes, lengths and counts against the
 * bytes present, UTF-8, trailing bytes, and the invariants of the records themselves (their constructors'
 * checks). Anything wrong throws {@link MalformedFrameException} with the field and offset. A decoded message is
 * still only as trustworthy as its sender: the core refuses ill-formed histories and non-members on its own.
 */
public final class VolatileCodec {

    public static final int FORMAT_VERSION = 1;

    private static final VolatileMessageType[] MESSAGE_TYPES = {
            null, VolatileMessageType.HEARTBEAT, VolatileMessageType.STATUS, VolatileMessageType.FETCH,
            VolatileMessageType.FETCH_RESPONSE, VolatileMessageType.SYNC, VolatileMessageType.APPEND};
    private static final OpType[] OP_TYPES = {null, OpType.PUT, OpType.DELETE, OpType.ADD_TO_SET, OpType.REMOVE_FROM_SET};
    private static final int FLAG_EXPIRY = 1;
    private static final int VALUE_PLAIN = 0;
    private static final int VALUE_SET = 1;

    private VolatileCodec() {
    }

    // ---- encoding ----

    public static byte[] encode(VolatileMessage m) {
        int estimate = 64 + (m.transfer() == null ? 0 : m.transfer().ops().size() * 24);
        WireWriter w = new WireWriter(estimate);
        w.u8(FORMAT_VERSION).u8(code(MESSAGE_TYPES, m.type()));
        w.string(m.from()).string(m.to());
        w.varLong(m.epoch()).signedVarLong(m.incarnation()).varLong(m.commit()).varLong(m.historyEpoch())
                .varLong(m.lastIndex()).varLong(m.context()).bool(m.reject());
        if (m.transfer() != null) {
            writeTransfer(w, m.transfer());
        }
        return w.toByteArray();
    }

    /** One op on its own (forwarded client writes use this). */
    public static byte[] encodeOp(VolatileOp op) {
        WireWriter w = new WireWriter(32 + op.key().length());
        writeOp(w, op);
        return w.toByteArray();
    }

    static void writeOp(WireWriter w, VolatileOp op) {
        w.u8(code(OP_TYPES, op.type())).u8(op.isExpiry() ? FLAG_EXPIRY : 0).string(op.key());
        switch (op.type()) {
            case PUT -> w.bytes(op.value());
            case ADD_TO_SET, REMOVE_FROM_SET -> w.string(op.member());
            case DELETE -> { }
        }
        w.varLong(op.ttlTicks()).signedVarLong(op.ifVersion());
    }

    static void writeValue(WireWriter w, VolatileValue v) {
        if (v.isSet()) {
            w.u8(VALUE_SET).varLong(v.version()).varLong(v.memberVersions().size());
            v.memberVersions().forEach((member, version) -> w.string(member).varLong(version));
        } else {
            w.u8(VALUE_PLAIN).varLong(v.version()).bytes(v.bytes());
        }
    }

    private static void writeTransfer(WireWriter w, HistoryTransfer t) {
        w.varLong(t.anchorIndex()).varLong(t.anchorEpoch()).bool(t.snapshot() != null);
        if (t.snapshot() != null) {
            writeSnapshot(w, t.snapshot());
        }
        w.varLong(t.ops().size());
        long expectedIndex = t.anchorIndex() + 1;
        long previousEpoch = t.anchorEpoch();
        for (SequencedOp op : t.ops()) {
            w.signedVarLong(op.index() - expectedIndex).signedVarLong(op.epoch() - previousEpoch);
            writeOp(w, op.op());
            expectedIndex = op.index() + 1;
            previousEpoch = op.epoch();
        }
    }

    private static void writeSnapshot(WireWriter w, VolatileSnapshot s) {
        w.varLong(s.index()).varLong(s.epoch()).varLong(s.entries().size());
        s.entries().forEach((key, value) -> {
            w.string(key);
            writeValue(w, value);
        });
        w.varLong(s.ttls().size());
        for (VolatileSnapshot.Ttl t : s.ttls()) {
            w.string(t.key()).optionalString(t.member()).varLong(t.version()).varLong(t.remainingTicks());
        }
    }

    // ---- decoding ----

    public static VolatileMessage decode(byte[] bytes) {
        WireReader r = new WireReader(bytes, "volatile message");
        int version = r.u8("format version");
        if (version != FORMAT_VERSION) {
            throw r.malformed("format version", "version " + version + " is not supported (this node speaks "
                    + FORMAT_VERSION + ")", 0);
        }
        VolatileMessageType type = decodeCode(r, MESSAGE_TYPES, "message type");
        String from = r.string("from");
        String to = r.string("to");
        long epoch = r.varLong("epoch");
        long incarnation = r.signedVarLong("incarnation");
        long commit = r.varLong("commit");
        long historyEpoch = r.varLong("historyEpoch");
        long lastIndex = r.varLong("lastIndex");
        long context = r.varLong("context");
        boolean reject = r.bool("reject");
        boolean hasTransfer = type == VolatileMessageType.FETCH || type == VolatileMessageType.FETCH_RESPONSE
                || type == VolatileMessageType.SYNC || type == VolatileMessageType.APPEND;
        HistoryTransfer transfer = hasTransfer ? readTransfer(r) : null;
        r.expectEnd();
        return build(r, "message", () -> new VolatileMessage(type, from, to, epoch, incarnation, commit, historyEpoch,
                lastIndex, transfer, context, reject));
    }

    public static VolatileOp decodeOp(byte[] bytes) {
        WireReader r = new WireReader(bytes, "volatile op");
        VolatileOp op = readOp(r);
        r.expectEnd();
        return op;
    }

    static VolatileOp readOp(WireReader r) {
        int start = r.position();
        OpType type = decodeCode(r, OP_TYPES, "op type");
        int flags = r.u8("op flags");
        if ((flags & ~FLAG_EXPIRY) != 0) {
            throw r.malformed("op flags", "unknown flag bits " + Integer.toBinaryString(flags), start + 1);
        }
        String key = r.string("op key");
        byte[] value = type == OpType.PUT ? r.bytes("op value") : null;
        String member = type == OpType.ADD_TO_SET || type == OpType.REMOVE_FROM_SET ? r.string("op member") : null;
        long ttl = r.varLong("op ttlTicks");
        long ifVersion = r.signedVarLong("op ifVersion");
        boolean expiry = (flags & FLAG_EXPIRY) != 0;
        return build(r, "op at byte " + start, () -> new VolatileOp(type, key, value, member, ttl, ifVersion, expiry));
    }

    static VolatileValue readValue(WireReader r) {
        int start = r.position();
        int kind = r.u8("value kind");
        long version = r.varLong("value version");
        if (kind == VALUE_PLAIN) {
            byte[] bytes = r.bytes("value bytes");
            return VolatileValue.plain(bytes, version);
        }
        if (kind != VALUE_SET) {
            throw r.malformed("value kind", "unknown value kind " + kind, start);
        }
        int n = r.count("set size", 2);
        Map<String, Long> members = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int at = r.position();
            if (members.put(r.string("set member"), r.varLong("member version")) != null) {
                throw r.malformed("set member", "duplicate member", at);
            }
        }
        return build(r, "set value at byte " + start, () -> VolatileValue.set(members, version));
    }

    private static HistoryTransfer readTransfer(WireReader r) {
        long anchorIndex = r.varLong("anchorIndex");
        long anchorEpoch = r.varLong("anchorEpoch");
        VolatileSnapshot snapshot = r.bool("snapshot present") ? readSnapshot(r) : null;
        int n = r.count("op count", 5);
        List<SequencedOp> ops = new ArrayList<>(n);
        long expectedIndex = anchorIndex + 1;
        long previousEpoch = anchorEpoch;
        for (int i = 0; i < n; i++) {
            long base = expectedIndex;
            long previous = previousEpoch;
            long indexGap = r.signedVarLong("op index gap");
            long epochStep = r.signedVarLong("op epoch step");
            long index = build(r, "op index", () -> Math.addExact(base, indexGap));
            long epoch = build(r, "op epoch", () -> Math.addExact(previous, epochStep));
            VolatileOp op = readOp(r);
            ops.add(build(r, "op " + i, () -> new SequencedOp(index, epoch, op)));
            expectedIndex = index + 1;
            previousEpoch = epoch;
        }
        return build(r, "transfer", () -> new HistoryTransfer(anchorIndex, anchorEpoch, snapshot, ops));
    }

    private static VolatileSnapshot readSnapshot(WireReader r) {
        long index = r.varLong("snapshot index");
        long epoch = r.varLong("snapshot epoch");
        int entries = r.count("snapshot entry count", 4);
        TreeMap<String, VolatileValue> map = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            int at = r.position();
            String key = r.string("snapshot key");
            if (map.put(key, readValue(r)) != null) {
                throw r.malformed("snapshot key", "duplicate key '" + key + "'", at);
            }
        }
        int ttlCount = r.count("snapshot ttl count", 4);
        List<VolatileSnapshot.Ttl> ttls = new ArrayList<>(ttlCount);
        for (int i = 0; i < ttlCount; i++) {
            String key = r.string("ttl key");
            String member = r.optionalString("ttl member");
            long version = r.varLong("ttl version");
            long remaining = r.varLong("ttl remaining");
            ttls.add(build(r, "ttl " + i, () -> new VolatileSnapshot.Ttl(key, member, version, remaining)));
        }
        return build(r, "snapshot", () -> new VolatileSnapshot(index, epoch, map, ttls));
    }

    // ---- helpers ----

    private static <T> int code(T[] table, T value) {
        for (int i = 1; i < table.length; i++) {
            if (table[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("no wire code for " + value);
    }

    private static <T> T decodeCode(WireReader r, T[] table, String field) {
        int at = r.position();
        int c = r.u8(field);
        if (c < 1 || c >= table.length) {
            throw r.malformed(field, "unknown code " + c, at);
        }
        return table[c];
    }

    /** Runs a record constructor, turning its validation errors into a malformed-frame error. */
    private static <T> T build(WireReader r, String what, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
            throw r.malformed(what, e.getMessage(), r.position());
        }
    }
}
