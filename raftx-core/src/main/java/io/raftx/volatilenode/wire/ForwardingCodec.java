package io.raftx.volatilenode.wire;

import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileValue;
import io.raftx.volatiles.WriteOutcome;

/**
 * Binary encoding of forwarded client requests and their replies (format version {@value #FORMAT_VERSION}): a
 * version byte, the attempt id, a kind byte, then the kind's fields. Enum values travel by explicit codes (their
 * position in a fixed table here), never by Java ordinal, so reordering an enum cannot change the wire.
 */
public final class ForwardingCodec {

    public static final int FORMAT_VERSION = 1;

    private static final Admission.Refusal[] REFUSALS = {null, Admission.Refusal.NOT_LEADER,
            Admission.Refusal.RECOVERING, Admission.Refusal.NO_QUORUM, Admission.Refusal.TOO_MANY_PENDING};
    private static final WriteOutcome.Status[] WRITE_STATUSES = {null, WriteOutcome.Status.COMMITTED,
            WriteOutcome.Status.CONDITION_FAILED, WriteOutcome.Status.UNKNOWN_LEADERSHIP_LOST,
            WriteOutcome.Status.UNKNOWN_TIMED_OUT};
    private static final ReadResult.Status[] READ_STATUSES = {null, ReadResult.Status.OK,
            ReadResult.Status.LEADERSHIP_LOST, ReadResult.Status.TIMED_OUT};
    private static final int REQUEST_WRITE = 1;
    private static final int REQUEST_READ = 2;
    private static final ForwardedReply.Kind[] REPLY_KINDS = {null, ForwardedReply.Kind.REFUSED,
            ForwardedReply.Kind.WRITTEN, ForwardedReply.Kind.READ};

    private ForwardingCodec() {
    }

    public static byte[] encode(ForwardedRequest request) {
        WireWriter w = new WireWriter(64);
        w.u8(FORMAT_VERSION).signedVarLong(request.attemptId());
        if (request.isWrite()) {
            w.u8(REQUEST_WRITE);
            VolatileCodec.writeOp(w, request.op());
        } else {
            w.u8(REQUEST_READ).string(request.readKey());
        }
        return w.toByteArray();
    }

    public static ForwardedRequest decodeRequest(byte[] bytes) {
        WireReader r = new WireReader(bytes, "forwarded request");
        checkVersion(r);
        long attemptId = r.signedVarLong("attempt id");
        int at = r.position();
        int kind = r.u8("request kind");
        ForwardedRequest request;
        if (kind == REQUEST_WRITE) {
            VolatileOp op = VolatileCodec.readOp(r);
            if (op.isExpiry()) {
                throw r.malformed("op", "expiries are never forwarded", at + 1);
            }
            request = ForwardedRequest.write(attemptId, op);
        } else if (kind == REQUEST_READ) {
            request = ForwardedRequest.read(attemptId, r.string("read key"));
        } else {
            throw r.malformed("request kind", "unknown code " + kind, at);
        }
        r.expectEnd();
        return request;
    }

    public static byte[] encode(ForwardedReply reply) {
        WireWriter w = new WireWriter(64);
        w.u8(FORMAT_VERSION).signedVarLong(reply.attemptId()).u8(code(REPLY_KINDS, reply.kind()));
        switch (reply.kind()) {
            case REFUSED -> w.u8(code(REFUSALS, reply.refusal())).optionalString(reply.leaderHint());
            case WRITTEN -> w.u8(code(WRITE_STATUSES, reply.writeStatus())).varLong(reply.index()).varLong(reply.epoch());
            case READ -> {
                w.u8(code(READ_STATUSES, reply.readStatus())).varLong(reply.index()).bool(reply.value() != null);
                if (reply.value() != null) {
                    VolatileCodec.writeValue(w, reply.value());
                }
            }
        }
        return w.toByteArray();
    }

    public static ForwardedReply decodeReply(byte[] bytes) {
        WireReader r = new WireReader(bytes, "forwarded reply");
        checkVersion(r);
        long attemptId = r.signedVarLong("attempt id");
        ForwardedReply.Kind kind = decode(r, REPLY_KINDS, "reply kind");
        ForwardedReply reply = switch (kind) {
            case REFUSED -> ForwardedReply.refused(attemptId, decode(r, REFUSALS, "refusal"),
                    r.optionalString("leader hint"));
            case WRITTEN -> {
                WriteOutcome.Status status = decode(r, WRITE_STATUSES, "write status");
                long index = r.varLong("index");
                long epoch = r.varLong("epoch");
                yield new ForwardedReply(attemptId, kind, null, null, status, null, index, epoch, null);
            }
            case READ -> {
                int at = r.position();
                ReadResult.Status status = decode(r, READ_STATUSES, "read status");
                long index = r.varLong("index");
                VolatileValue value = r.bool("value present") ? VolatileCodec.readValue(r) : null;
                if (value != null && status != ReadResult.Status.OK) {
                    throw r.malformed("read status", "a failed read carries no value", at);
                }
                yield new ForwardedReply(attemptId, kind, null, null, null, status, index, 0, value);
            }
        };
        r.expectEnd();
        return reply;
    }

    private static void checkVersion(WireReader r) {
        int version = r.u8("format version");
        if (version != FORMAT_VERSION) {
            throw r.malformed("format version", "version " + version + " is not supported (this node speaks "
                    + FORMAT_VERSION + ")", 0);
        }
    }

    private static <T> int code(T[] table, T value) {
        for (int i = 1; i < table.length; i++) {
            if (table[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("no wire code for " + value);
    }

    private static <T> T decode(WireReader r, T[] table, String field) {
        int at = r.position();
        int c = r.u8(field);
        if (c < 1 || c >= table.length) {
            throw r.malformed(field, "unknown code " + c, at);
        }
        return table[c];
    }
}
