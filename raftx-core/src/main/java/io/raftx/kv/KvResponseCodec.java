package io.raftx.kv;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command's response: the transaction's op results, or the status that says why nothing changed (format in
 * {@link KvCodec}). Result types reuse the op codes of {@link TxnCommandCodec}.
 */
final class KvResponseCodec {

    private static final byte STATUS_OK = 0;
    private static final byte STATUS_ERROR = 1;
    private static final byte STATUS_LEASE_NOT_FOUND = 2;
    private static final byte STATUS_LEASE_EXISTS = 3;
    private static final byte STATUS_COMPACTED = 4;
    private static final byte STATUS_FUTURE_REVISION = 5;

    private KvResponseCodec() {
    }

    static byte[] encodeLeaseError(LeaseException e) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(e.reason() == LeaseException.Reason.NOT_FOUND ? STATUS_LEASE_NOT_FOUND : STATUS_LEASE_EXISTS);
            out.writeLong(e.leaseId());
        });
    }

    static byte[] encodeRevisionError(RevisionException e) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(e.reason() == RevisionException.Reason.COMPACTED ? STATUS_COMPACTED : STATUS_FUTURE_REVISION);
            out.writeLong(e.requested());
            out.writeLong(e.bound());
        });
    }

    static byte[] encodeResult(TxnResult result) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(STATUS_OK);
            out.writeBoolean(result.succeeded());
            out.writeLong(result.revision());
            out.writeInt(result.results().size());
            for (OpResult op : result.results()) {
                if (op instanceof OpResult.Put p) {
                    out.writeByte(TxnCommandCodec.OP_PUT);
                    writeKeyValue(out, p.previous());
                } else if (op instanceof OpResult.Delete d) {
                    out.writeByte(TxnCommandCodec.OP_DELETE);
                    out.writeLong(d.deleted());
                    writeKeyValue(out, d.previous());
                } else if (op instanceof OpResult.DeleteRange d) {
                    out.writeByte(TxnCommandCodec.OP_DELETE_RANGE);
                    out.writeLong(d.deleted());
                    writeKeyValues(out, d.previous());
                } else if (op instanceof OpResult.Range g) {
                    out.writeByte(TxnCommandCodec.OP_RANGE);
                    writeKeyValues(out, g.keyValues());
                } else {
                    out.writeByte(TxnCommandCodec.OP_GET);
                    writeKeyValue(out, ((OpResult.Get) op).keyValue());
                }
            }
        });
    }

    static byte[] encodeError(String message) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(STATUS_ERROR);
            KvWire.writeBytes(out, message.getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * Decodes a response. An error response (the state machine rejected the command; nothing changed) becomes an
     * {@link InvalidRequestException}.
     */
    static TxnResult decode(byte[] bytes) {
        KvReader r = new KvReader(bytes, "response");
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
                    case TxnCommandCodec.OP_PUT -> new OpResult.Put(readKeyValue(r));
                    case TxnCommandCodec.OP_DELETE -> new OpResult.Delete(r.i64(), readKeyValue(r));
                    case TxnCommandCodec.OP_GET -> new OpResult.Get(readKeyValue(r));
                    case TxnCommandCodec.OP_DELETE_RANGE -> new OpResult.DeleteRange(r.i64(), readKeyValues(r));
                    case TxnCommandCodec.OP_RANGE -> new OpResult.Range(readKeyValues(r));
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
            KvWire.writeBytes(out, v.keyUnsafe());
            KvWire.writeBytes(out, v.valueUnsafe());
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

    private static List<KeyValue> readKeyValues(KvReader r) {
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

    private static Optional<KeyValue> readKeyValue(KvReader r) {
        if (!r.bool()) {
            return Optional.empty();
        }
        return Optional.of(new KeyValue(r.bytes(), r.bytes(), r.i64(), r.i64(), r.i64()));
    }
}
