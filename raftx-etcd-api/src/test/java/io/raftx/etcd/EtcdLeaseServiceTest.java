package io.raftx.etcd;

import static io.raftx.etcd.EtcdKvServiceTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftx.etcd.proto.LeaseLeasesRequest;
import io.raftx.etcd.proto.LeaseLeasesResponse;
import io.raftx.etcd.proto.LeaseStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** etcd's Lease service against a 3-node RaftX cluster: leases through the log, expiry decided by the leader. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdLeaseServiceTest {

    @TempDir
    static Path dir;
    EtcdTestCluster cluster;
    LeaseGrpc.LeaseBlockingStub followerLease;
    KVGrpc.KVBlockingStub followerKv;

    @BeforeAll
    void start() {
        cluster = new EtcdTestCluster(dir);
        cluster.awaitWritable();
        String follower = cluster.aFollower();
        followerLease = LeaseGrpc.newBlockingStub(cluster.channel(follower));
        followerKv = KVGrpc.newBlockingStub(cluster.channel(follower));
    }

    @AfterAll
    void stop() throws InterruptedException {
        cluster.close();
    }

    long grant(long ttl) {
        LeaseGrantResponse r = followerLease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build());
        assertThat(r.getID()).isPositive();
        return r.getID();
    }

    void putWithLease(String key, long lease) {
        followerKv.put(PutRequest.newBuilder().setKey(b(key)).setValue(b("v")).setLease(lease).build());
    }

    long count(String key) {
        return followerKv.range(RangeRequest.newBuilder().setKey(b(key)).build()).getCount();
    }

    @Test
    void leaseLeasesListsTheLeasesOnEveryNode() {
        long first = grant(60);
        long second = grant(60);
        for (String id : cluster.ids()) {
            assertThat(leases(id)).as("on %s", id).contains(first, second);
        }
        followerLease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(first).build());
        for (String id : cluster.ids()) {
            assertThat(leases(id)).as("on %s", id).contains(second).doesNotContain(first);
        }
    }

    private List<Long> leases(String id) {
        LeaseLeasesResponse r = NewerMethodStubs.call(cluster.channel(id), "etcdserverpb.Lease/LeaseLeases",
                LeaseLeasesRequest.getDefaultInstance(), LeaseLeasesResponse.getDefaultInstance());
        assertThat(r.getHeader().getRevision()).isPositive();
        return r.getLeasesList().stream().map(LeaseStatus::getID).toList();
    }

    @Test
    void keysOfARevokedLeaseAreDeletedOnEveryNode() {
        long lease = grant(60);
        putWithLease("lease/a", lease);
        putWithLease("lease/b", lease);
        LeaseTimeToLiveResponse ttl = followerLease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease)
                .setKeys(true).build());
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(1L, 60L);
        assertThat(ttl.getKeysList()).extracting(k -> k.toStringUtf8()).containsExactly("lease/a", "lease/b");
        assertThat(followerKv.range(RangeRequest.newBuilder().setKey(b("lease/a")).build()).getKvs(0).getLease())
                .isEqualTo(lease);

        followerLease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());

        assertThat(count("lease/a") + count("lease/b")).isZero();
        assertThat(followerLease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build()).getTTL())
                .isEqualTo(-1);
        for (String id : cluster.ids()) {
            assertThat(KVGrpc.newBlockingStub(cluster.channel(id)).range(RangeRequest.newBuilder().setKey(b("lease/a"))
                    .setSerializable(true).build()).getCount()).as("on %s", id).isZero();
        }
    }

    @Test
    void anExpiredLeaseIsRevokedByTheLeaderAndKeepAlivesKeepItAlive() throws Exception {
        long kept = grant(2);
        long dropped = grant(2);
        putWithLease("exp/kept", kept);
        putWithLease("exp/dropped", dropped);

        BlockingQueue<LeaseKeepAliveResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> keepAlive = LeaseGrpc.newStub(cluster.channel(cluster.aFollower()))
                .leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        answers.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(kept).build());
                LeaseKeepAliveResponse r = answers.poll(5, TimeUnit.SECONDS);
                assertThat(r).isNotNull();
                assertThat(r.getID()).isEqualTo(kept);
                assertThat(r.getTTL()).isEqualTo(2);
                Thread.sleep(500);
            }
            assertThat(count("exp/kept")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> count("exp/dropped") == 0);

            keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(dropped).build());
            LeaseKeepAliveResponse gone = answers.poll(5, TimeUnit.SECONDS);
            assertThat(gone.getID()).isEqualTo(dropped);
            assertThat(gone.getTTL()).isZero();
        } finally {
            keepAlive.onCompleted();
        }
    }

    @Test
    void badLeaseRequestsGetEtcdsErrors() {
        assertThatThrownBy(() -> followerLease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: too large lease TTL");
                });
        assertThat(followerLease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(0).build()).getTTL())
                .as("a TTL of 0 is raised to the minimum, as etcd does").isEqualTo(2);
        long lease = grant(30);
        assertThatThrownBy(() -> followerLease.leaseGrant(LeaseGrantRequest.newBuilder().setID(lease).setTTL(5).build()))
                .hasMessageContaining("etcdserver: lease already exists");
        assertThatThrownBy(() -> followerLease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(424242).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: requested lease not found");
                });
        assertThatThrownBy(() -> putWithLease("nolease/k", 424242))
                .hasMessageContaining("etcdserver: requested lease not found");
        assertThat(count("nolease/k")).isZero();
    }
}
