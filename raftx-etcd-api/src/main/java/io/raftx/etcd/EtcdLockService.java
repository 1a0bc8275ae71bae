package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.LockResponse;
import io.etcd.jetcd.api.lock.UnlockRequest;
import io.etcd.jetcd.api.lock.UnlockResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftx.coordination.CoordinationKeys;
import io.raftx.kv.KvClient;

/**
 * The etcd {@code v3lockpb.Lock} service, on the template's locks: {@code Lock(name, lease)} takes the same volatile
 * lock as {@code opsForLocks().acquire(name, ...)} (see {@link EtcdLockTable}), so the two exclude each other.
 */
final class EtcdLockService extends LockGrpc.LockImplBase {

    private final EtcdLockTable table;
    private final KvClient kv;
    private final EtcdHeaders headers;

    EtcdLockService(EtcdLockTable table, KvClient kv, EtcdHeaders headers) {
        this.table = table;
        this.kv = kv;
        this.headers = headers;
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> out) {
        ServerCallStreamObserver<LockResponse> call = (ServerCallStreamObserver<LockResponse>) out;
        EtcdCalls.unary(out, () -> {
            String name = EtcdLockTable.templateName("lock", request.getName());
            return table.acquire(CoordinationKeys.lock(name), request.getName().toByteArray(),
                            request.getLease(), new byte[0], call::isCancelled)
                    .thenApply(g -> LockResponse.newBuilder().setHeader(headers.at(g.createRevision()))
                            .setKey(ByteString.copyFrom(g.key())).build());
        });
    }

    /** Deletes the ownership key, as etcd does; the node holding the lock sees the delete and releases it. */
    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
        EtcdCalls.unary(out, () -> {
            if (request.getKey().isEmpty()) {
                throw EtcdErrors.emptyKey();
            }
            return kv.delete(request.getKey().toByteArray())
                    .thenApply(r -> UnlockResponse.newBuilder().setHeader(headers.at(r.revision())).build());
        });
    }
}
