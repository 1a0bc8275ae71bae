package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.raftx.kv.ByteKey;
import io.raftx.kv.Compare;
import io.raftx.kv.KeyRange;
import io.raftx.kv.KeyValue;
import io.raftx.kv.Op;
import io.raftx.kv.Txn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Translation between etcd v3 request messages and RaftX KV operations, with etcd's refusals for bad requests. */
final class EtcdRequests {

    private EtcdRequests() {
    }

    static io.etcd.jetcd.api.KeyValue toProto(KeyValue kv, boolean keysOnly) {
        io.etcd.jetcd.api.KeyValue.Builder b = io.etcd.jetcd.api.KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(kv.key())).setCreateRevision(kv.createRevision())
                .setModRevision(kv.modRevision()).setVersion(kv.version()).setLease(kv.lease());
        if (!keysOnly) {
            b.setValue(ByteString.copyFrom(kv.value()));
        }
        return b.build();
    }

    static void checkPut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.emptyKey();
        }
        if (r.getIgnoreValue()) {
            if (!r.getValue().isEmpty()) {
                throw EtcdErrors.valueProvided();
            }
            throw EtcdErrors.unsupported("Put.ignore_value", "send the value with the put");
        }
        if (r.getIgnoreLease()) {
            if (r.getLease() != 0) {
                throw EtcdErrors.leaseProvided();
            }
            throw EtcdErrors.unsupported("Put.ignore_lease", "send the lease with the put");
        }
    }

    static Op toDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.emptyKey();
        }
        KeyRange range = RangeQuery.keys(r.getKey(), r.getRangeEnd());
        return range == null ? new Op.Delete(r.getKey().toByteArray(), r.getPrevKv())
                : new Op.DeleteRange(range, r.getPrevKv());
    }

    /** The RaftX transaction for {@code r}; range operations' options are applied to their results afterwards. */
    static Txn toTxn(TxnRequest r, int maxOps) {
        if (r.getCompareCount() > maxOps || r.getSuccessCount() > maxOps || r.getFailureCount() > maxOps) {
            throw EtcdErrors.tooManyOps();
        }
        List<Compare> compares = new ArrayList<>();
        for (io.etcd.jetcd.api.Compare c : r.getCompareList()) {
            compares.add(toCompare(c));
        }
        return new Txn(compares, toOps(r.getSuccessList()), toOps(r.getFailureList()));
    }

    private static Compare toCompare(io.etcd.jetcd.api.Compare c) {
        if (c.getKey().isEmpty()) {
            throw EtcdErrors.emptyKey();
        }
        byte[] key = c.getKey().toByteArray();
        Compare.Operator op = switch (c.getResult()) {
            case EQUAL -> Compare.Operator.EQUAL;
            case NOT_EQUAL -> Compare.Operator.NOT_EQUAL;
            case GREATER -> Compare.Operator.GREATER;
            case LESS -> Compare.Operator.LESS;
            default -> throw EtcdErrors.invalid("unknown compare result " + c.getResultValue());
        };
        Compare compare = switch (c.getTarget()) {
            case VALUE -> Compare.value(key, op, c.getValue().toByteArray());
            case VERSION -> Compare.version(key, op, c.getVersion());
            case MOD -> Compare.modRevision(key, op, c.getModRevision());
            case CREATE -> Compare.createRevision(key, op, c.getCreateRevision());
            // LEASE (4) is newer than these generated stubs: it arrives as UNRECOGNIZED.
            default -> throw c.getTargetValue() == 4 ? EtcdErrors.unsupported("Compare.target LEASE", null)
                    : EtcdErrors.invalid("unknown compare target " + c.getTargetValue());
        };
        KeyRange range = RangeQuery.keys(c.getKey(), c.getRangeEnd());
        return range == null ? compare : compare.over(range);
    }

    private static List<Op> toOps(List<RequestOp> ops) {
        List<Op> out = new ArrayList<>();
        for (RequestOp op : ops) {
            out.add(switch (op.getRequestCase()) {
                case REQUEST_PUT -> {
                    PutRequest p = op.getRequestPut();
                    checkPut(p);
                    yield new Op.Put(p.getKey().toByteArray(), p.getValue().toByteArray(), p.getPrevKv(), p.getLease());
                }
                case REQUEST_DELETE_RANGE -> toDelete(op.getRequestDeleteRange());
                case REQUEST_RANGE -> {
                    RangeQuery q = RangeQuery.of(op.getRequestRange());
                    long revision = Math.max(0, op.getRequestRange().getRevision()); // etcd: 0 or less = now
                    if (revision != 0) {
                        yield new Op.Range(q.selectedKeys(), revision);
                    }
                    yield q.singleKey() ? new Op.Get(op.getRequestRange().getKey().toByteArray())
                            : new Op.Range(q.range());
                }
                case REQUEST_TXN -> throw EtcdErrors.unsupported("a Txn inside a Txn (RequestOp.request_txn)",
                        "flatten it into one transaction");
                default -> throw EtcdErrors.invalid("a Txn operation without a request");
            });
        }
        checkNoDuplicateWrites(out);
        return out;
    }

    /** etcd refuses a branch that writes one key twice (two puts, or a put inside a deleted range). */
    private static void checkNoDuplicateWrites(List<Op> ops) {
        Set<ByteKey> puts = new HashSet<>();
        for (Op op : ops) {
            if (op instanceof Op.Put p && !puts.add(ByteKey.of(p.key()))) {
                throw EtcdErrors.duplicateKey();
            }
        }
        for (Op op : ops) {
            if (op instanceof Op.Delete d && puts.contains(ByteKey.of(d.key()))) {
                throw EtcdErrors.duplicateKey();
            }
            if (op instanceof Op.DeleteRange d && puts.stream().anyMatch(k -> d.range().contains(k.toByteArray()))) {
                throw EtcdErrors.duplicateKey();
            }
        }
    }
}
