package io.raftx.etcd;

import io.etcd.jetcd.api.ResponseHeader;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;

/** Response headers as etcd fills them: cluster id, this member's id, the store revision and the Raft term. */
final class EtcdHeaders {

    private final RaftNode node;
    private final EtcdIds ids;

    EtcdHeaders(RaftNode node) {
        this.node = node;
        this.ids = EtcdIds.of(node.id());
    }

    ResponseHeader at(long revision) {
        NodeStatus s = node.status();
        return ResponseHeader.newBuilder().setClusterId(ids.clusterId()).setMemberId(ids.memberId())
                .setRevision(revision).setRaftTerm(s == null ? 0 : s.term()).build();
    }

    /** The same header as the message of {@code newer_methods.proto}. */
    io.raftx.etcd.proto.ResponseHeader newerAt(long revision) {
        ResponseHeader h = at(revision);
        return io.raftx.etcd.proto.ResponseHeader.newBuilder().setClusterId(h.getClusterId())
                .setMemberId(h.getMemberId()).setRevision(h.getRevision()).setRaftTerm(h.getRaftTerm()).build();
    }

    long memberId() {
        return ids.memberId();
    }

    long clusterId() {
        return ids.clusterId();
    }
}
