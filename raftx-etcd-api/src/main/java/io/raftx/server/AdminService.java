package io.raftx.server;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;

/**
 * {@code raftx.v1.Admin} on the client address (see {@code admin.proto}): this node's view of the cluster, from the
 * status the event loop publishes after every batch, so it answers even without a leader or quorum.
 */
final class AdminService extends AdminGrpc.AdminImplBase {

    private final RaftNode node;

    AdminService(RaftNode node) {
        this.node = node;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        NodeStatus s = node.status();
        if (s == null) {
            out.onError(Status.UNAVAILABLE.withDescription("node " + node.id() + " is not started").asRuntimeException());
            return;
        }
        out.onNext(StatusResponse.newBuilder()
                .setNodeId(s.nodeId())
                .setRole(s.role().name())
                .setTerm(s.term())
                .setLeaderId(s.leaderId() == null ? "" : s.leaderId())
                .setCommitIndex(s.commitIndex())
                .setAppliedIndex(s.appliedIndex())
                .setLastIndex(s.lastIndex())
                .build());
        out.onCompleted();
    }
}
