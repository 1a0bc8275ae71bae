package io.raftx.etcd;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.Op;
import io.raftx.kv.OpResult;
import io.raftx.kv.Txn;
import io.raftx.kv.TxnResult;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import java.util.List;
import java.util.stream.Stream;

/**
 * The etcd v3 {@code etcdserverpb.KV} service over RaftX's KV state machine: Range (one key, a range, from a key,
 * with limit, count, sort, keys/count only and revision filters), Put, DeleteRange (one key or a range), Txn (range
 * compares and range operations) and Compact. Reads run on the node's loop thread, linearizable unless
 * {@code serializable}. A read at a past revision is answered from the KV store's retained history (etcd's
 * "required revision has been compacted" below its compaction point).
 */
final class EtcdKvService extends KVGrpc.KVImplBase {

    private final RaftNode node;
    private final KvClient kv;
    private final KvStateMachine stateMachine;
    private final EtcdHeaders headers;

    EtcdKvService(RaftNode node, KvClient kv, KvStateMachine stateMachine, EtcdHeaders headers) {
        this.node = node;
        this.kv = kv;
        this.stateMachine = stateMachine;
        this.headers = headers;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        EtcdCalls.unary(out, () -> {
            RangeQuery query = RangeQuery.of(request);
            ReadConsistency consistency = request.getSerializable() ? ReadConsistency.LOCAL : ReadConsistency.LINEARIZABLE;
            long at = Math.max(0, request.getRevision()); // etcd: 0 or less reads the current revision
            return node.read(consistency, () -> {
                long revision = stateMachine.revision();
                // The header carries the current revision also for a past read, as etcd's does.
                return query.answer(select(query, at == revision ? 0 : at)).setHeader(headers.at(revision)).build();
            });
        });
    }

    private Stream<KeyValue> select(RangeQuery query, long at) {
        if (at != 0) {
            return stateMachine.range(query.selectedKeys(), at);
        }
        return query.singleKey() ? stateMachine.get(query.keyBytes()).stream() : stateMachine.range(query.range());
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        EtcdCalls.unary(out, () -> {
            EtcdRequests.checkPut(request);
            Op put = new Op.Put(request.getKey().toByteArray(), request.getValue().toByteArray(), request.getPrevKv(),
                    request.getLease());
            return kv.txn(Txn.builder().then(put).build()).thenApply(r -> {
                PutResponse.Builder b = PutResponse.newBuilder().setHeader(headers.at(r.revision()));
                ((OpResult.Put) r.results().get(0)).previous().ifPresent(p -> b.setPrevKv(EtcdRequests.toProto(p, false)));
                return b.build();
            });
        });
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        EtcdCalls.unary(out, () -> {
            Op delete = EtcdRequests.toDelete(request);
            return kv.txn(Txn.builder().then(delete).build())
                    .thenApply(r -> deleteResponse(r.results().get(0), r.revision()).build());
        });
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        EtcdCalls.unary(out, () -> {
            Txn txn = EtcdRequests.toTxn(request, kv.limits().maxTxnOps());
            return kv.txn(txn).thenApply(r -> {
                List<RequestOp> asked = r.succeeded() ? request.getSuccessList() : request.getFailureList();
                TxnResponse.Builder b = TxnResponse.newBuilder().setHeader(headers.at(r.revision()))
                        .setSucceeded(r.succeeded());
                for (int i = 0; i < r.results().size(); i++) {
                    b.addResponses(toResponseOp(asked.get(i), r.results().get(i), r));
                }
                return b.build();
            });
        });
    }

    private ResponseOp toResponseOp(RequestOp asked, OpResult op, TxnResult txn) {
        if (op instanceof OpResult.Put p) {
            PutResponse.Builder b = PutResponse.newBuilder().setHeader(headers.at(txn.revision()));
            p.previous().ifPresent(prev -> b.setPrevKv(EtcdRequests.toProto(prev, false)));
            return ResponseOp.newBuilder().setResponsePut(b).build();
        }
        if (op instanceof OpResult.Delete || op instanceof OpResult.DeleteRange) {
            return ResponseOp.newBuilder().setResponseDeleteRange(deleteResponse(op, txn.revision())).build();
        }
        List<KeyValue> kvs = op instanceof OpResult.Range r ? r.keyValues() : ((OpResult.Get) op).keyValue().stream().toList();
        RangeResponse.Builder range = RangeQuery.of(asked.getRequestRange()).answer(kvs.stream())
                .setHeader(headers.at(txn.revision()));
        return ResponseOp.newBuilder().setResponseRange(range).build();
    }

    private DeleteRangeResponse.Builder deleteResponse(OpResult op, long revision) {
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setHeader(headers.at(revision));
        if (op instanceof OpResult.DeleteRange d) {
            d.previous().forEach(prev -> b.addPrevKvs(EtcdRequests.toProto(prev, false)));
            return b.setDeleted(d.deleted());
        }
        OpResult.Delete d = (OpResult.Delete) op;
        d.previous().ifPresent(prev -> b.addPrevKvs(EtcdRequests.toProto(prev, false)));
        return b.setDeleted(d.deleted());
    }

    /**
     * Compaction goes through the log, so every member drops the same history (and the watch history up to it):
     * checked on apply as etcd checks it (a future revision, or one at or below the compaction point, is refused).
     * The answer waits until this node has applied it too (a forwarded command completes when the leader applied
     * it), so a client that compacts and then reads or watches through the same node sees the compaction, as with
     * etcd. {@code physical} needs no more waiting: the history is dropped when the command is applied.
     */
    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        EtcdCalls.unary(out, () -> kv.compact(request.getRevision())
                .thenCompose(r -> node.read(ReadConsistency.LINEARIZABLE, () -> CompactionResponse.newBuilder()
                        .setHeader(headers.at(stateMachine.revision())).build())));
    }
}
