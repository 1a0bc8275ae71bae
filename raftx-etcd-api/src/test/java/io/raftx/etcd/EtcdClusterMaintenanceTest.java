package io.raftx.etcd;

import static io.raftx.etcd.EtcdKvServiceTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Status;
import io.raftx.etcd.proto.MemberPromoteRequest;
import io.raftx.etcd.proto.MemberPromoteResponse;
import io.grpc.StatusRuntimeException;
import io.raftx.node.GrpcPorts;
import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** etcd's Cluster and Maintenance services against a 3-node RaftX cluster over real gRPC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdClusterMaintenanceTest {

    @TempDir
    static Path dir;
    EtcdTestCluster cluster;

    @BeforeAll
    void start() {
        cluster = new EtcdTestCluster(dir);
        cluster.awaitWritable();
        cluster.awaitLeader();
    }

    @AfterAll
    void stop() throws InterruptedException {
        cluster.close();
    }

    ClusterGrpc.ClusterBlockingStub clusterStub(String id) {
        return ClusterGrpc.newBlockingStub(cluster.channel(id));
    }

    MaintenanceGrpc.MaintenanceBlockingStub maintenance(String id) {
        return MaintenanceGrpc.newBlockingStub(cluster.channel(id));
    }

    @Test
    void memberListAndStatusAgreeOnEveryNode() {
        for (String id : cluster.ids()) {
            List<Member> members = clusterStub(id).memberList(MemberListRequest.getDefaultInstance()).getMembersList();
            assertThat(members).extracting(Member::getName).containsExactly("n1", "n2", "n3");
            assertThat(members).extracting(Member::getID)
                    .containsExactly(EtcdIds.memberId("n1"), EtcdIds.memberId("n2"), EtcdIds.memberId("n3"));
            assertThat(members).allSatisfy(m -> assertThat(m.getPeerURLs(0)).isEqualTo("http://" + cluster.peers().get(m.getName())));
            assertThat(members).filteredOn(m -> m.getName().equals(id)).singleElement()
                    .satisfies(m -> assertThat(m.getClientURLs(0)).isEqualTo("http://" + cluster.clientAddress(id)));
            // Another test may just have moved leadership: wait until this node knows the leader.
            StatusResponse s = await().atMost(Duration.ofSeconds(10)).until(
                    () -> maintenance(id).status(StatusRequest.getDefaultInstance()),
                    r -> r.getLeader() == EtcdIds.memberId(cluster.awaitLeader()));
            assertThat(s.getHeader().getMemberId()).isEqualTo(EtcdIds.memberId(id));
            assertThat(s.getRaftTerm()).isPositive();
            assertThat(s.getDbSize()).isPositive();
            assertThat(s.getVersion()).startsWith("3.");
        }
    }

    @Test
    void hashKvIsTheSameOnEveryNodeOnceTheyApplied() {
        KVGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()))
                .put(PutRequest.newBuilder().setKey(b("hash/k")).setValue(b("v")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.ids().stream()
                .map(id -> maintenance(id).hashKV(HashKVRequest.getDefaultInstance()).getHash()).distinct().count() == 1);
    }

    @Test
    void snapshotStreamsTheKvStateInRaftxFormat() throws Exception {
        KVGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()))
                .put(PutRequest.newBuilder().setKey(b("snap/k")).setValue(b("v")).build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Iterator<SnapshotResponse> it = maintenance(cluster.aFollower()).snapshot(SnapshotRequest.getDefaultInstance());
        SnapshotResponse last = null;
        while (it.hasNext()) {
            last = it.next();
            bytes.writeBytes(last.getBlob().toByteArray());
        }
        assertThat(last.getRemainingBytes()).isZero();
        byte[] all = bytes.toByteArray();
        assertThat(ByteBuffer.wrap(all).getInt()).isEqualTo(0x52584B56); // "RXKV"
        byte[] body = java.util.Arrays.copyOf(all, all.length - 32);
        assertThat(java.util.Arrays.copyOfRange(all, all.length - 32, all.length))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void moveLeaderHandsLeadershipToTheTarget() {
        String leader = cluster.awaitLeader();
        String target = cluster.aFollower();
        assertThatThrownBy(() -> maintenance(target).moveLeader(MoveLeaderRequest.newBuilder()
                .setTargetID(EtcdIds.memberId(leader)).build())).hasMessageContaining("etcdserver: not leader");
        maintenance(leader).moveLeader(MoveLeaderRequest.newBuilder().setTargetID(EtcdIds.memberId(target)).build());
        assertThat(cluster.awaitLeader()).isEqualTo(target);
    }

    @Test
    void memberAddAndRemoveChangeTheConfiguration() {
        String leader = cluster.awaitLeader();
        assertThatThrownBy(() -> clusterStub(leader).memberAdd(MemberAddRequest.newBuilder()
                .addPeerURLs("http://" + cluster.peers().get("n2")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: Peer URLs already exists");
                });
        assertThatThrownBy(() -> clusterStub(leader).memberRemove(MemberRemoveRequest.newBuilder().setID(42).build()))
                .hasMessageContaining("etcdserver: member not found");
        assertThatThrownBy(() -> clusterStub(leader).memberAdd(MemberAddRequest.newBuilder().addPeerURLs("nonsense")
                .build())).hasMessageContaining("etcdserver: given member URLs are invalid");

        String address = "127.0.0.1:" + GrpcPorts.free();
        String newId = EtcdMembers.nodeIdFor(address);
        MemberAddResponse added = clusterStub(cluster.aFollower()).memberAdd(MemberAddRequest.newBuilder()
                .addPeerURLs("http://" + address).build());
        assertThat(added.getMember().getName()).isEqualTo(newId);
        assertThat(added.getMembersList()).hasSize(4);
        try (RaftxServer joining = new RaftxServer(new ServerSettings(newId, address, null, dir.resolve(newId),
                cluster.peers(), EtcdTestCluster.token(), Duration.ofMillis(20))).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> clusterStub(leader)
                    .memberList(MemberListRequest.getDefaultInstance()).getMembersList().stream()
                    .anyMatch(m -> m.getName().equals(newId) && !m.getIsLearner()));
            clusterStub(cluster.awaitLeader()).memberRemove(MemberRemoveRequest.newBuilder()
                    .setID(added.getMember().getID()).build());
            assertThat(clusterStub(cluster.awaitLeader()).memberList(MemberListRequest.getDefaultInstance())
                    .getMembersList()).extracting(Member::getName).containsExactly("n1", "n2", "n3");
        }
        assertThat(KVGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()))
                .range(RangeRequest.newBuilder().setKey(b("any")).build()).getHeader().getRevision()).isPositive();
    }

    @Test
    void aLearnerAddedAsSuchIsPromotedOnRequestOnceCaughtUp() {
        String leader = cluster.awaitLeader();
        assertStatus(() -> promote(leader, 42), Status.Code.NOT_FOUND, "etcdserver: member not found");
        assertStatus(() -> promote(leader, EtcdIds.memberId("n1")), Status.Code.FAILED_PRECONDITION,
                "etcdserver: can only promote a learner member");

        String address = "127.0.0.1:" + GrpcPorts.free();
        String newId = EtcdMembers.nodeIdFor(address);
        MemberAddResponse added = clusterStub(cluster.aFollower()).memberAdd(MemberAddRequest.newBuilder()
                .addPeerURLs("http://" + address).setIsLearner(true).build());
        assertThat(added.getMember().getIsLearner()).isTrue();
        long memberId = added.getMember().getID();
        // Not started yet, so it has nothing of the log: etcd's "not in sync" answer, and it stays a learner.
        assertStatus(() -> promote(leader, memberId), Status.Code.FAILED_PRECONDITION,
                "etcdserver: can only promote a learner member which is in sync with leader");
        assertThat(member(leader, newId).getIsLearner()).isTrue();

        try (RaftxServer joining = new RaftxServer(new ServerSettings(newId, address, null, dir.resolve(newId),
                cluster.peers(), EtcdTestCluster.token(), Duration.ofMillis(20))).start()) {
            // Still a learner until asked, however long it has been caught up.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> member(leader, newId).getIsLearner());
            MemberPromoteResponse promoted = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> promote(cluster.aFollower(), memberId), r -> true);
            assertThat(promoted.getMembersList()).filteredOn(m -> m.getID() == memberId).singleElement()
                    .satisfies(m -> assertThat(m.getIsLearner()).isFalse());
            clusterStub(cluster.awaitLeader()).memberRemove(MemberRemoveRequest.newBuilder().setID(memberId).build());
        }
        assertThat(clusterStub(cluster.awaitLeader()).memberList(MemberListRequest.getDefaultInstance())
                .getMembersList()).extracting(Member::getName).containsExactly("n1", "n2", "n3");
    }

    @Test
    void memberUpdateChecksItsInputAndKeepsTheAddress() {
        String id = cluster.aFollower();
        long memberId = EtcdIds.memberId(id);
        String own = "http://" + cluster.peers().get(id);
        String other = "http://" + cluster.peers().get(cluster.ids().stream().filter(n -> !n.equals(id)).findFirst()
                .orElseThrow());
        assertStatus(() -> clusterStub(id).memberUpdate(MemberUpdateRequest.newBuilder().setID(42).addPeerURLs(own)
                .build()), Status.Code.NOT_FOUND, "etcdserver: member not found");
        assertStatus(() -> clusterStub(id).memberUpdate(MemberUpdateRequest.newBuilder().setID(memberId)
                .addPeerURLs(other).build()), Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
        assertStatus(() -> clusterStub(id).memberUpdate(MemberUpdateRequest.newBuilder().setID(memberId)
                .addPeerURLs("nonsense").build()), Status.Code.INVALID_ARGUMENT,
                "etcdserver: given member URLs are invalid");
        assertThatThrownBy(() -> clusterStub(id).memberUpdate(MemberUpdateRequest.newBuilder().setID(memberId)
                .addPeerURLs("http://127.0.0.1:" + GrpcPorts.free()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
                    assertThat(e.getStatus().getDescription()).contains("MemberUpdate to a new peer URL");
                });
        assertThat(clusterStub(id).memberUpdate(MemberUpdateRequest.newBuilder().setID(memberId).addPeerURLs(own)
                .build()).getMembersList()).extracting(Member::getName).containsExactly("n1", "n2", "n3");
    }

    private MemberPromoteResponse promote(String via, long memberId) {
        return NewerMethodStubs.call(cluster.channel(via), "etcdserverpb.Cluster/MemberPromote",
                MemberPromoteRequest.newBuilder().setID(memberId).build(), MemberPromoteResponse.getDefaultInstance());
    }

    private Member member(String via, String name) {
        return clusterStub(via).memberList(MemberListRequest.getDefaultInstance()).getMembersList().stream()
                .filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code,
                                     String description) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(description);
        });
    }
}
