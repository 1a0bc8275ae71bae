package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftx.kv.Compare;
import io.raftx.kv.KeyValue;
import io.raftx.kv.Op;
import io.raftx.kv.Txn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Translation between etcd v3 request messages and RaftX KV operations, with clear refusals for what we lack. */
final class EtcdRequests {

    static final long NO_REVISION = -1;
    private static final byte[] ALL = {0};

    private EtcdRequests() {
    }

    static StatusRuntimeException unsupported(String what) {
        return Status.UNIMPLEMENTED.withDescription(what + " is not supported by RaftX's etcd API; supported: "
                + "single keys, prefixes (range_end = prefix + 1) and all keys (key = range_end = \\0)").asRuntimeException();
    }

    /** The prefix a supported range scans; for a single key, the key itself. */
    static byte[] scanPrefix(RangeRequest r) {
        byte[] key = r.getKey().toByteArray();
        if (r.getRangeEnd().isEmpty()) {
            return key;
        }
        byte[] end = r.getRangeEnd().toByteArray();
        if (Arrays.equals(key, ALL) && Arrays.equals(end, ALL)) {
            return new byte[0];
        }
        if (Arrays.equals(end, prefixEnd(key))) {
            return key;
        }
        throw unsupported("Range [" + r.getKey().toStringUtf8() + ", " + r.getRangeEnd().toStringUtf8() + ")");
    }

    static void requireSupportedRange(RangeRequest r) {
        if (r.getRevision() > 0) {
            throw unsupported("Range at a past revision");
        }
        if (r.getSortTargetValue() != 0 || r.getSortOrderValue() != 0) {
            throw unsupported("sorted Range (results are always in key order)");
        }
        if (r.getMinModRevision() != 0 || r.getMaxModRevision() != 0 || r.getMinCreateRevision() != 0
                || r.getMaxCreateRevision() != 0) {
            throw unsupported("Range filtered by revision");
        }
        scanPrefix(r);
    }

    /** etcd's prefix convention: the key with its last byte below 0xff incremented and the rest dropped. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return ALL;
    }

    static io.etcd.jetcd.api.KeyValue toProto(KeyValue kv, boolean keysOnly) {
        io.etcd.jetcd.api.KeyValue.Builder b = io.etcd.jetcd.api.KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(kv.key())).setCreateRevision(kv.createRevision())
                .setModRevision(kv.modRevision()).setVersion(kv.version());
        if (!keysOnly) {
            b.setValue(ByteString.copyFrom(kv.value()));
        }
        return b.build();
    }

    static Txn toTxn(TxnRequest r) {
        List<Compare> compares = new ArrayList<>();
        for (io.etcd.jetcd.api.Compare c : r.getCompareList()) {
            compares.add(toCompare(c));
        }
        return new Txn(compares, toOps(r.getSuccessList()), toOps(r.getFailureList()));
    }

    private static Compare toCompare(io.etcd.jetcd.api.Compare c) {
        if (!c.getRangeEnd().isEmpty()) {
            throw unsupported("Txn compare over a range");
        }
        byte[] key = c.getKey().toByteArray();
        Compare.Operator op = switch (c.getResult()) {
            case EQUAL -> Compare.Operator.EQUAL;
            case NOT_EQUAL -> Compare.Operator.NOT_EQUAL;
            case GREATER -> Compare.Operator.GREATER;
            case LESS -> Compare.Operator.LESS;
            default -> throw Status.INVALID_ARGUMENT.withDescription("unknown compare result " + c.getResultValue())
                    .asRuntimeException();
        };
        return switch (c.getTarget()) {
            case VALUE -> Compare.value(key, op, c.getValue().toByteArray());
            case VERSION -> Compare.version(key, op, c.getVersion());
            case MOD -> Compare.modRevision(key, op, c.getModRevision());
            case CREATE -> Compare.createRevision(key, op, c.getCreateRevision());
            default -> throw unsupported("Txn compare target " + c.getTarget());
        };
    }

    private static List<Op> toOps(List<RequestOp> ops) {
        List<Op> out = new ArrayList<>();
        for (RequestOp op : ops) {
            out.add(switch (op.getRequestCase()) {
                case REQUEST_PUT -> {
                    if (op.getRequestPut().getLease() != 0) {
                        throw unsupported("Put with a lease");
                    }
                    yield new Op.Put(op.getRequestPut().getKey().toByteArray(), op.getRequestPut().getValue().toByteArray(),
                            op.getRequestPut().getPrevKv());
                }
                case REQUEST_DELETE_RANGE -> {
                    if (!op.getRequestDeleteRange().getRangeEnd().isEmpty()) {
                        throw unsupported("DeleteRange over a range inside a Txn");
                    }
                    yield new Op.Delete(op.getRequestDeleteRange().getKey().toByteArray(),
                            op.getRequestDeleteRange().getPrevKv());
                }
                case REQUEST_RANGE -> {
                    if (!op.getRequestRange().getRangeEnd().isEmpty()) {
                        throw unsupported("Range over a range inside a Txn");
                    }
                    yield new Op.Get(op.getRequestRange().getKey().toByteArray());
                }
                default -> throw unsupported("Txn operation " + op.getRequestCase());
            });
        }
        return out;
    }
}
