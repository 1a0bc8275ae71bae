package io.raftx.etcd;

import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.OpResult;
import io.raftx.kv.Txn;
import io.raftx.node.RaftException;
import io.raftx.node.ReadConsistency;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The etcd v3 {@code etcdserverpb.KV} service over RaftX's KV state machine, so etcdctl and etcd clients work
 * against a RaftX node. Supported: Range on one key or a prefix (range_end = prefix + 1), Put, DeleteRange on one
 * key, Txn with single-key compares and operations. Everything else (other ranges, revisions in the past, sorting,
 * Compact) is answered with UNIMPLEMENTED and a message saying what is supported.
 */
public final class EtcdKvService extends KVGrpc.KVImplBase {

    private final KvClient kv;
    private final long clusterId;
    private final long memberId;

    public EtcdKvService(KvClient kv, long clusterId, long memberId) {
        this.kv = kv;
        this.clusterId = clusterId;
        this.memberId = memberId;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        answer(out, () -> {
            EtcdRequests.requireSupportedRange(request);
            ReadConsistency consistency = request.getSerializable() ? ReadConsistency.LOCAL : ReadConsistency.LINEARIZABLE;
            byte[] key = EtcdRequests.scanPrefix(request);
            if (request.getRangeEnd().isEmpty()) {
                return kv.get(key, consistency).thenApply(kvOpt -> rangeResponse(kvOpt.stream().toList(), false,
                        EtcdRequests.NO_REVISION, request.getCountOnly(), request.getKeysOnly()));
            }
            int limit = request.getLimit() > 0 ? (int) Math.min(request.getLimit(), Integer.MAX_VALUE) : Integer.MAX_VALUE;
            return kv.scan(key, limit, consistency).thenApply(scan -> rangeResponse(scan.keyValues(), scan.more(),
                    scan.revision(), request.getCountOnly(), request.getKeysOnly()));
        });
    }

    private RangeResponse rangeResponse(java.util.List<KeyValue> kvs, boolean more, long revision, boolean countOnly,
                                        boolean keysOnly) {
        RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(header(revision)).setMore(more).setCount(kvs.size());
        if (!countOnly) {
            kvs.forEach(k -> b.addKvs(EtcdRequests.toProto(k, keysOnly)));
        }
        return b.build();
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        answer(out, () -> {
            if (request.getLease() != 0 || request.getIgnoreValue() || request.getIgnoreLease()) {
                throw EtcdRequests.unsupported("Put with lease, ignore_value or ignore_lease");
            }
            return kv.put(request.getKey().toByteArray(), request.getValue().toByteArray(), request.getPrevKv())
                    .thenApply(r -> {
                        PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(r.revision()));
                        r.previous().ifPresent(p -> b.setPrevKv(EtcdRequests.toProto(p, false)));
                        return b.build();
                    });
        });
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        answer(out, () -> {
            if (!request.getRangeEnd().isEmpty()) {
                throw EtcdRequests.unsupported("DeleteRange over a range (only single keys)");
            }
            return kv.delete(request.getKey().toByteArray(), request.getPrevKv()).thenApply(r -> {
                DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setHeader(header(r.revision()))
                        .setDeleted(r.deletedCount());
                r.previous().ifPresent(p -> b.addPrevKvs(EtcdRequests.toProto(p, false)));
                return b.build();
            });
        });
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        answer(out, () -> {
            Txn txn = EtcdRequests.toTxn(request);
            return kv.txn(txn).thenApply(r -> {
                TxnResponse.Builder b = TxnResponse.newBuilder().setHeader(header(r.revision())).setSucceeded(r.succeeded());
                for (OpResult op : r.results()) {
                    b.addResponses(toResponseOp(op, r.revision()));
                }
                return b.build();
            });
        });
    }

    private ResponseOp toResponseOp(OpResult op, long revision) {
        if (op instanceof OpResult.Put p) {
            PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(revision));
            p.previous().ifPresent(prev -> b.setPrevKv(EtcdRequests.toProto(prev, false)));
            return ResponseOp.newBuilder().setResponsePut(b).build();
        }
        if (op instanceof OpResult.Delete d) {
            DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setHeader(header(revision))
                    .setDeleted(d.deleted());
            d.previous().ifPresent(prev -> b.addPrevKvs(EtcdRequests.toProto(prev, false)));
            return ResponseOp.newBuilder().setResponseDeleteRange(b).build();
        }
        OpResult.Get g = (OpResult.Get) op;
        return ResponseOp.newBuilder().setResponseRange(rangeResponse(g.keyValue().stream().toList(), false, revision,
                false, false)).build();
    }

    private ResponseHeader header(long revision) {
        ResponseHeader.Builder b = ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId);
        if (revision != EtcdRequests.NO_REVISION) {
            b.setRevision(revision);
        }
        return b.build();
    }

    /** Runs {@code call}, mapping RaftX errors to gRPC statuses clients understand. */
    private static <T> void answer(StreamObserver<T> out, CallSupplier<T> call) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        f.whenComplete((result, err) -> {
            if (err != null) {
                out.onError(toStatus(err).asRuntimeException());
            } else {
                out.onNext(result);
                out.onCompleted();
            }
        });
    }

    static Status toStatus(Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof io.raftx.kv.InvalidRequestException || e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        if (e instanceof RaftException re) {
            return re.definitelyNotApplied() ? Status.UNAVAILABLE.withDescription(e.getMessage())
                    : Status.DEADLINE_EXCEEDED.withDescription("outcome unknown: " + e.getMessage());
        }
        return Status.INTERNAL.withDescription(String.valueOf(e));
    }

    @FunctionalInterface
    private interface CallSupplier<T> {
        CompletableFuture<T> get();
    }
}
