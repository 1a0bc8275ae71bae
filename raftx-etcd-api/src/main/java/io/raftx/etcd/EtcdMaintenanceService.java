package io.raftx.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.KeyRange;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * The etcd v3 {@code etcdserverpb.Maintenance} service: Status (from the node's published status), MoveLeader
 * (leadership transfer), Snapshot (a RaftX KV snapshot, not an etcd bolt database), HashKV (CRC32C over the current
 * key-values), Alarm (this node's NOSPACE alarm, see {@link SpaceQuota}) and Defragment (nothing to do: MVStore
 * compacts itself).
 */
final class EtcdMaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {

    /** The etcd API level RaftX answers as (clients parse it as a version number). */
    static final String VERSION = "3.5.0";
    private static final int SNAPSHOT_CHUNK = 64 * 1024;
    /** etcdserverpb.StatusResponse.raftAppliedIndex. */
    private static final int RAFT_APPLIED_INDEX_FIELD = 7;

    private final RaftNode node;
    private final KvStateMachine stateMachine;
    private final EtcdHeaders headers;
    private final EtcdMembers members;
    private final LongSupplier storageBytes;

    private final SpaceQuota quota;

    EtcdMaintenanceService(RaftNode node, KvStateMachine stateMachine, EtcdHeaders headers, EtcdMembers members,
                           LongSupplier storageBytes, SpaceQuota quota) {
        this.quota = quota;
        this.node = node;
        this.stateMachine = stateMachine;
        this.headers = headers;
        this.members = members;
        this.storageBytes = storageBytes;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        EtcdCalls.unary(out, () -> {
            NodeStatus s = node.status();
            if (s == null) {
                throw EtcdErrors.noLeader();
            }
            return CompletableFuture.completedFuture(StatusResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).setVersion(VERSION)
                    .setDbSize(storageBytes.getAsLong())
                    .setLeader(s.leaderId() == null ? 0 : EtcdIds.memberId(s.leaderId()))
                    .setRaftIndex(s.commitIndex()).setRaftTerm(s.term())
                    // raftAppliedIndex (7) is newer than these generated stubs: written as a known field number.
                    .setUnknownFields(UnknownFieldSet.newBuilder().addField(RAFT_APPLIED_INDEX_FIELD,
                            UnknownFieldSet.Field.newBuilder().addVarint(s.appliedIndex()).build()).build())
                    .build());
        });
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        EtcdCalls.unary(out, () -> {
            NodeStatus s = node.status();
            if (s == null || s.role() != Role.LEADER) {
                throw EtcdErrors.notLeader();
            }
            String target = members.nodeId(request.getTargetID()).orElseThrow(EtcdErrors::badLeaderTransferee);
            if (!members.membership().isVoter(target)) {
                throw EtcdErrors.badLeaderTransferee();
            }
            return node.transferLeadership(target).thenApply(v -> MoveLeaderResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).build());
        });
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        node.read(ReadConsistency.LOCAL, () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                stateMachine.snapshot(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Snapshot(bytes.toByteArray(), stateMachine.revision());
        }).whenComplete((snap, err) -> {
            if (err != null) {
                out.onError(EtcdCalls.toStatus(err).asRuntimeException());
                return;
            }
            byte[] data = withChecksum(snap.data());
            int off = 0;
            do {
                int n = Math.min(SNAPSHOT_CHUNK, data.length - off);
                out.onNext(SnapshotResponse.newBuilder().setHeader(headers.at(snap.revision()))
                        .setBlob(ByteString.copyFrom(data, off, n)).setRemainingBytes(data.length - off - n).build());
                off += n;
            } while (off < data.length);
            out.onCompleted();
        });
    }

    private record Snapshot(byte[] data, long revision) { }

    /**
     * etcd's snapshot stream is a database of 512-byte pages followed by the SHA-256 of those bytes, and etcdctl
     * checks both when saving: the RaftX snapshot is zero-padded to a multiple of 512 (its reader stops at its own
     * checksum and ignores the padding), then the SHA-256 is appended.
     */
    private static byte[] withChecksum(byte[] data) {
        try {
            byte[] padded = java.util.Arrays.copyOf(data, (data.length + 511) / 512 * 512);
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(padded);
            byte[] out = java.util.Arrays.copyOf(padded, padded.length + sha.length);
            System.arraycopy(sha, 0, out, padded.length, sha.length);
            return out;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        EtcdCalls.unary(out, () -> node.read(ReadConsistency.LOCAL, () -> {
            long current = stateMachine.revision();
            CRC32C crc = new CRC32C();
            long at = Math.max(0, request.getRevision());
            stateMachine.range(new KeyRange(new byte[] {0}, null), at == current ? 0 : at).forEach(kv -> {
                crc.update(kv.key());
                crc.update(kv.value());
                crc.update(ByteBuffer.allocate(24).putLong(kv.createRevision()).putLong(kv.modRevision())
                        .putLong(kv.version()).flip());
            });
            return HashKVResponse.newBuilder().setHeader(headers.at(current)).setHash((int) crc.getValue())
                    .setCompactRevision(stateMachine.compactedRevision()).build();
        }));
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        EtcdCalls.unary(out, () -> {
            AlarmRequest.AlarmAction action = request.getAction();
            if (action != AlarmRequest.AlarmAction.GET) {
                // etcd's member id 0 means every member; here the alarm is this node's own.
                if (request.getMemberID() != 0 && request.getMemberID() != headers.memberId()) {
                    throw EtcdErrors.unsupported("Alarm " + action + " for another member",
                            "send it to that member's client address: each RaftX node keeps its own alarm");
                }
                if (request.getAlarm() != AlarmType.NOSPACE) {
                    throw EtcdErrors.unsupported("Alarm " + action + " of " + request.getAlarm(),
                            "RaftX raises only NOSPACE");
                }
                // As etcd: ACTIVATE and DEACTIVATE answer with the alarm they changed, GET with every alarm.
                boolean was = quota.alarmed();
                if (action == AlarmRequest.AlarmAction.ACTIVATE) {
                    quota.activate();
                } else {
                    quota.deactivate();
                }
                return CompletableFuture.completedFuture(alarms(action == AlarmRequest.AlarmAction.ACTIVATE || was));
            }
            return CompletableFuture.completedFuture(alarms(quota.alarmed()));
        });
    }

    private AlarmResponse alarms(boolean noSpace) {
        AlarmResponse.Builder b = AlarmResponse.newBuilder().setHeader(headers.at(stateMachine.revision()));
        if (noSpace) {
            b.addAlarms(AlarmMember.newBuilder().setMemberID(headers.memberId()).setAlarm(AlarmType.NOSPACE));
        }
        return b.build();
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        EtcdCalls.unary(out, () -> CompletableFuture.completedFuture(DefragmentResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision())).build()));
    }
}
