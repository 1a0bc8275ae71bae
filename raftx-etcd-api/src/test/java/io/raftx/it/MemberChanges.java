package io.raftx.it;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Membership changes of a {@link ProcessCluster} through the etcd v3 Cluster API, as an operator with etcdctl would
 * make them: MemberAdd (RaftX adds a learner and promotes it once caught up) and MemberRemove, sent to the leader.
 * A call whose answer is lost may still have taken effect, so after an error the member list decides whether to
 * retry.
 */
final class MemberChanges {

    private static final Duration CALL = Duration.ofSeconds(20);

    private final ProcessCluster cluster;

    MemberChanges(ProcessCluster cluster) {
        this.cluster = cluster;
    }

    /** Adds the (running, joining) node {@code id} and waits until it is a voter. */
    void add(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String url = "http://" + cluster.peerAddress(id);
        String state = "not tried";
        while (true) {
            try {
                String leader = cluster.awaitLeader(timeout);
                Optional<Member> member = member(leader, id);
                if (member.isPresent() && !member.get().getIsLearner()) {
                    return;
                }
                state = member.isPresent() ? "a learner" : "not a member";
                if (member.isEmpty()) {
                    stub(leader).memberAdd(MemberAddRequest.newBuilder().addPeerURLs(url).build());
                }
            } catch (StatusRuntimeException e) {
                state = "last error " + e.getStatus();
            }
            failIfLate(deadline, "add " + id + ": " + state);
            Thread.sleep(100);
        }
    }

    /** Removes {@code id} (the leader too: it hands leadership over first) and waits until it is no member. */
    void remove(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                String leader = cluster.awaitLeader(timeout);
                Optional<Member> member = member(leader, id);
                if (member.isEmpty()) {
                    return;
                }
                stub(leader).memberRemove(MemberRemoveRequest.newBuilder().setID(member.get().getID()).build());
            } catch (StatusRuntimeException e) {
                failIfLate(deadline, "remove " + id + ": " + e.getStatus());
                Thread.sleep(100);
            }
        }
    }

    /** The members the node {@code via} knows (its applied configuration). */
    List<Member> list(String via) {
        return stub(via).memberList(MemberListRequest.getDefaultInstance()).getMembersList();
    }

    private Optional<Member> member(String via, String id) {
        return list(via).stream().filter(m -> m.getName().equals(id)).findFirst();
    }

    private ClusterGrpc.ClusterBlockingStub stub(String id) {
        return ClusterGrpc.newBlockingStub(cluster.channel(id)).withDeadlineAfter(CALL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void failIfLate(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("membership change did not complete: " + what + "; statuses: "
                    + cluster.statuses());
        }
    }
}
