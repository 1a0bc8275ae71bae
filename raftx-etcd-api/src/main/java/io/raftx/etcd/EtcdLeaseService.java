package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.etcd.proto.LeaseLeasesRequest;
import io.raftx.etcd.proto.LeaseLeasesResponse;
import io.raftx.etcd.proto.LeaseStatus;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.LeaseException;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The etcd v3 {@code etcdserverpb.Lease} service: grants, revokes and keep-alives go through the log (any node takes
 * them; a keep-alive is a log entry, so it reaches the leader's {@link LeaseClock} however the client is connected);
 * TimeToLive answers from this node's clock and applied state.
 */
final class EtcdLeaseService extends LeaseGrpc.LeaseImplBase {

    private final RaftNode node;
    private final KvClient kv;
    private final KvStateMachine stateMachine;
    private final EtcdHeaders headers;
    private final LeaseClock clock;
    private final EtcdApiSettings settings;
    private final SecureRandom random = new SecureRandom();

    EtcdLeaseService(RaftNode node, KvClient kv, KvStateMachine stateMachine, EtcdHeaders headers, LeaseClock clock,
                     EtcdApiSettings settings) {
        this.node = node;
        this.kv = kv;
        this.stateMachine = stateMachine;
        this.headers = headers;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        EtcdCalls.unary(out, () -> {
            if (request.getTTL() > settings.maxLeaseTtlSeconds()) {
                throw EtcdErrors.leaseTtlTooLarge();
            }
            // etcd raises short TTLs to its minimum instead of refusing them.
            long ttl = Math.max(request.getTTL(), settings.minLeaseTtlSeconds());
            long id = request.getID() != 0 ? request.getID() : random.nextLong(1, Long.MAX_VALUE);
            if (id < 0) {
                throw EtcdErrors.invalid("lease ID must not be negative, got " + id);
            }
            return kv.grantLease(id, ttl).thenApply(revision -> LeaseGrantResponse.newBuilder()
                    .setHeader(headers.at(revision)).setID(id).setTTL(ttl).build());
        });
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        EtcdCalls.unary(out, () -> kv.revokeLease(request.getID()).thenApply(r -> LeaseRevokeResponse.newBuilder()
                .setHeader(headers.at(r.revision())).build()));
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveRequest request) {
                long id = request.getID();
                kv.keepAliveLease(id)
                        .thenCompose(r -> node.read(ReadConsistency.LOCAL, () -> stateMachine.leases().get(id)))
                        .whenComplete((ttl, err) -> {
                            Throwable cause = err instanceof CompletionException && err.getCause() != null
                                    ? err.getCause() : err;
                            if (err != null && !(cause instanceof LeaseException)) {
                                synchronized (out) {
                                    out.onError(EtcdCalls.toStatus(err).asRuntimeException());
                                }
                                return;
                            }
                            // etcd answers a keep-alive of an unknown or expired lease with TTL 0.
                            LeaseKeepAliveResponse response = LeaseKeepAliveResponse.newBuilder().setID(id)
                                    .setHeader(headers.at(stateMachine.revision()))
                                    .setTTL(err != null || ttl == null ? 0 : ttl).build();
                            synchronized (out) {
                                out.onNext(response);
                            }
                        });
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                synchronized (out) {
                    out.onCompleted();
                }
            }
        };
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        EtcdCalls.unary(out, () -> node.read(ReadConsistency.LINEARIZABLE, () -> {
            long id = request.getID();
            Map<Long, Long> leases = stateMachine.leases();
            LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder()
                    .setHeader(headers.at(stateMachine.revision())).setID(id);
            Long granted = leases.get(id);
            if (granted == null) {
                return b.setTTL(-1).build(); // etcd's answer for a lease that does not exist
            }
            b.setGrantedTTL(granted).setTTL(Math.min(granted, Math.max(0, clock.remainingSeconds(id))));
            if (request.getKeys()) {
                List<KeyValue> keys = stateMachine.keysOfLease(id);
                keys.forEach(kv -> b.addKeys(ByteString.copyFrom(kv.key())));
            }
            return b.build();
        }));
    }

    /** {@code Lease/LeaseLeases} ({@code etcdctl lease list}): every lease, from a linearizable read. */
    void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
        EtcdCalls.unary(out, () -> node.read(ReadConsistency.LINEARIZABLE, () -> {
            LeaseLeasesResponse.Builder b = LeaseLeasesResponse.newBuilder()
                    .setHeader(headers.newerAt(stateMachine.revision()));
            stateMachine.leases().keySet().stream().sorted()
                    .forEach(id -> b.addLeases(LeaseStatus.newBuilder().setID(id)));
            return b.build();
        }));
    }
}
