package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.CampaignResponse;
import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaderKey;
import io.etcd.jetcd.api.LeaderRequest;
import io.etcd.jetcd.api.LeaderResponse;
import io.etcd.jetcd.api.ProclaimRequest;
import io.etcd.jetcd.api.ProclaimResponse;
import io.etcd.jetcd.api.ResignRequest;
import io.etcd.jetcd.api.ResignResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftx.coordination.CoordinationKeys;
import io.raftx.coordination.DistributedLock;
import io.raftx.coordination.LockHolder;
import io.raftx.coordination.LockOptions;
import io.raftx.kv.Compare;
import io.raftx.kv.KvClient;
import io.raftx.kv.Op;
import io.raftx.kv.Txn;
import io.raftx.kv.watch.Watch;
import io.raftx.node.ReadConsistency;
import io.raftx.volatilenode.VolatileClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The etcd {@code v3electionpb.Election} service, on the template's elections: a campaign takes the same volatile
 * lock as {@code opsForElection().join(name, ...)} (see {@link EtcdLockTable}), so an etcd client and an application
 * instance never lead the same election at once. A leader elected through etcd shows to the template as
 * {@code etcd lease <hex>}; one elected through the template shows to etcd clients as a key-value whose key is the
 * election name and whose value is the candidate name.
 */
final class EtcdElectionService extends ElectionGrpc.ElectionImplBase {

    private final EtcdLockTable table;
    private final KvClient kv;
    private final VolatileClient volatiles;
    private final EtcdHeaders headers;
    private final LongSupplier revision;

    /** @param revision this node's store revision, for response headers */
    EtcdElectionService(EtcdLockTable table, KvClient kv, VolatileClient volatiles, EtcdHeaders headers,
                        LongSupplier revision) {
        this.revision = revision;
        this.table = table;
        this.kv = kv;
        this.volatiles = volatiles;
        this.headers = headers;
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
        ServerCallStreamObserver<CampaignResponse> call = (ServerCallStreamObserver<CampaignResponse>) out;
        EtcdCalls.unary(out, () -> {
            String name = EtcdLockTable.templateName("election", request.getName());
            return table.acquire(CoordinationKeys.election(name), request.getName().toByteArray(), request.getLease(),
                            request.getValue().toByteArray(), call::isCancelled)
                    .thenApply(g -> CampaignResponse.newBuilder().setHeader(headers.at(g.createRevision()))
                            .setLeader(LeaderKey.newBuilder().setName(request.getName())
                                    .setKey(ByteString.copyFrom(g.key())).setRev(g.createRevision())
                                    .setLease(g.lease()))
                            .build());
        });
    }

    /** Sets the leader's value, if the caller still leads (its key is the one created at {@code rev}). */
    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
        EtcdCalls.unary(out, () -> {
            LeaderKey leader = requireLeaderKey(request.getLeader());
            byte[] key = leader.getKey().toByteArray();
            Txn txn = Txn.builder().when(Compare.createRevision(key, Compare.Operator.EQUAL, leader.getRev()))
                    .then(new Op.Put(key, request.getValue().toByteArray(), false, leader.getLease())).build();
            return kv.txn(txn).thenApply(r -> {
                if (!r.succeeded()) {
                    throw EtcdErrors.electionNotLeader();
                }
                return ProclaimResponse.newBuilder().setHeader(headers.at(r.revision())).build();
            });
        });
    }

    /** Ends the leadership if the caller still holds it; like etcd, succeeds also when it no longer does. */
    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
        EtcdCalls.unary(out, () -> {
            LeaderKey leader = requireLeaderKey(request.getLeader());
            return table.end(leader.getKey().toByteArray(), leader.getRev())
                    .thenApply(revision -> ResignResponse.newBuilder().setHeader(headers.at(revision)).build());
        });
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        EtcdCalls.unary(out, () -> currentLeader(request.getName()).thenApply(kv -> LeaderResponse.newBuilder()
                .setHeader(headers.at(revision.getAsLong())).setKv(kv.orElseThrow(EtcdErrors::electionNoLeader))
                .build()));
    }

    /** Streams the leader now (if any) and after every change this node sees, until the client cancels. */
    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        ServerCallStreamObserver<LeaderResponse> call = (ServerCallStreamObserver<LeaderResponse>) out;
        String name;
        try {
            name = EtcdLockTable.templateName("election", request.getName());
        } catch (RuntimeException e) {
            out.onError(EtcdCalls.toStatus(e).asRuntimeException());
            return;
        }
        Object sending = new Object();
        Runnable sendLeader = () -> currentLeader(request.getName()).whenComplete((kv, e) -> {
            if (e == null && kv.isPresent() && !call.isCancelled()) {
                synchronized (sending) {
                    out.onNext(LeaderResponse.newBuilder().setHeader(headers.at(revision.getAsLong()))
                            .setKv(kv.get()).build());
                }
            }
        });
        // The cancel handler goes first: gRPC wants it before any response, and it must find the watch once set.
        AtomicReference<Watch> watch = new AtomicReference<>();
        Runnable stop = () -> {
            Watch w = watch.getAndSet(null);
            if (w != null) {
                w.cancel();
            }
        };
        call.setOnCancelHandler(stop);
        watch.set(volatiles.watch(CoordinationKeys.election(name), event -> sendLeader.run()));
        if (call.isCancelled()) {
            stop.run();
            return;
        }
        sendLeader.run();
    }

    /**
     * The leader as etcd clients see it: for a leader elected through etcd, its ownership key as it is in the KV
     * now (with the proclaimed value); for one elected through the template, the election name and the candidate.
     */
    private CompletableFuture<Optional<KeyValue>> currentLeader(ByteString name) {
        String text;
        try {
            text = EtcdLockTable.templateName("election", name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        DistributedLock lock = new DistributedLock(volatiles, CoordinationKeys.election(text), "observer",
                LockOptions.defaults());
        return lock.holder().thenCompose(holder -> {
            if (holder.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            OptionalLong lease = EtcdLockTable.leaseOf(holder.get().owner());
            if (lease.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.of(templateLeader(name, holder.get())));
            }
            return kv.get(EtcdLockTable.ownershipKey(name.toByteArray(), lease.getAsLong()),
                    ReadConsistency.LINEARIZABLE).thenApply(v -> v.map(x -> EtcdRequests.toProto(x, false)));
        });
    }

    private KeyValue templateLeader(ByteString name, LockHolder holder) {
        return KeyValue.newBuilder().setKey(name)
                .setValue(ByteString.copyFrom(holder.owner(), StandardCharsets.UTF_8)).build();
    }

    private static LeaderKey requireLeaderKey(LeaderKey leader) {
        if (leader.getKey().isEmpty()) {
            throw EtcdErrors.invalid("election leader key is not provided: pass the leader key that Campaign returned");
        }
        return leader;
    }
}
