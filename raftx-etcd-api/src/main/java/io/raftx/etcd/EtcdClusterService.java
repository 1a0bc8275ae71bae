package io.raftx.etcd;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.etcd.proto.MemberPromoteRequest;
import io.raftx.etcd.proto.MemberPromoteResponse;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import io.raftx.raft.Membership;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The etcd v3 {@code etcdserverpb.Cluster} service on RaftNode's membership API. MemberAdd adds a voter the way
 * RaftX does (learner first, promoted once caught up) and answers once the learner is in the configuration; its node
 * id is derived from the peer URL ({@link EtcdMembers#nodeIdFor}); with {@code is_learner} it stays a learner until
 * MemberPromote. MemberUpdate cannot change a member's address (RaftX's configuration has no such change).
 */
final class EtcdClusterService extends ClusterGrpc.ClusterImplBase {

    private final RaftNode node;
    private final KvStateMachine stateMachine;
    private final EtcdHeaders headers;
    private final EtcdMembers members;

    EtcdClusterService(RaftNode node, KvStateMachine stateMachine, EtcdHeaders headers, EtcdMembers members) {
        this.node = node;
        this.stateMachine = stateMachine;
        this.headers = headers;
        this.members = members;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        EtcdCalls.unary(out, () -> CompletableFuture.completedFuture(MemberListResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision())).addAllMembers(members.list()).build()));
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        EtcdCalls.unary(out, () -> {
            if (request.getPeerURLsCount() != 1) {
                throw EtcdErrors.memberBadUrls();
            }
            String address = EtcdMembers.address(request.getPeerURLs(0));
            String id = EtcdMembers.nodeIdFor(address);
            Membership current = members.membership();
            if (members.addressInUse(current, address)) {
                throw EtcdErrors.peerUrlExists();
            }
            // A voter is added the RaftX way (learner first, promoted once caught up); a learner stays one until
            // MemberPromote.
            CompletableFuture<?> promotion = request.getIsLearner() ? node.addLearner(id, address)
                    : node.addMember(id, address);
            // Answer once the member is in the configuration (as a learner or already a voter), as etcd answers
            // before the new member has started; the promotion goes on without the client.
            return awaitMember(id, promotion).thenApply(m -> MemberAddResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).setMember(members.toMember(m, id))
                    .addAllMembers(members.list(m)).build());
        });
    }

    private CompletableFuture<Membership> awaitMember(String id, CompletableFuture<?> promotion) {
        CompletableFuture<Membership> added = new CompletableFuture<>();
        promotion.whenComplete((r, err) -> {
            if (err != null) {
                added.completeExceptionally(err);
            } else {
                added.complete(members.membership());
            }
        });
        poll(id, added, 0);
        return added;
    }

    private void poll(String id, CompletableFuture<Membership> added, int attempt) {
        if (added.isDone()) {
            return;
        }
        Membership m = node.status() == null ? null : node.status().membership();
        if (m != null && m.isMember(id)) {
            added.complete(m);
            return;
        }
        CompletableFuture.delayedExecutor(Math.min(100, 10L * (attempt + 1)), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> poll(id, added, attempt + 1));
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        EtcdCalls.unary(out, () -> {
            String id = members.nodeId(request.getID()).orElseThrow(EtcdErrors::memberNotFound);
            return node.removeMember(id).thenApply(m -> MemberRemoveResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).addAllMembers(members.list(m)).build());
        });
    }

    /**
     * Checks the request as etcd does; an update to the member's current address succeeds (nothing changes), a new
     * address is refused: RaftX's configuration has no address change.
     */
    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        EtcdCalls.unary(out, () -> {
            String id = members.nodeId(request.getID()).orElseThrow(EtcdErrors::memberNotFound);
            if (request.getPeerURLsCount() != 1) {
                throw EtcdErrors.memberBadUrls();
            }
            String address = EtcdMembers.address(request.getPeerURLs(0));
            Membership current = members.membership();
            if (!address.equals(members.address(current, id))) {
                if (members.addressInUse(current, address)) {
                    throw EtcdErrors.peerUrlExists();
                }
                throw EtcdErrors.unsupported("MemberUpdate to a new peer URL",
                        "remove the member and add it again with its new address");
            }
            return CompletableFuture.completedFuture(MemberUpdateResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).addAllMembers(members.list(current)).build());
        });
    }

    /** {@code Cluster/MemberPromote}: a learner added with {@code is_learner} becomes a voter once caught up. */
    void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        EtcdCalls.unary(out, () -> {
            String id = members.nodeId(request.getID()).orElseThrow(EtcdErrors::memberNotFound);
            if (members.membership().isVoter(id)) {
                throw EtcdErrors.memberNotLearner();
            }
            return node.promoteLearner(id).handle((m, err) -> {
                if (err != null) {
                    throw String.valueOf(EtcdCalls.cause(err).getMessage()).contains("entries behind")
                            ? EtcdErrors.learnerNotReady() : new CompletionException(EtcdCalls.cause(err));
                }
                MemberPromoteResponse.Builder b = MemberPromoteResponse.newBuilder()
                        .setHeader(headers.newerAt(stateMachine.revision()));
                members.list(m).forEach(member -> b.addMembers(EtcdMembers.newer(member)));
                return b.build();
            });
        });
    }
}
