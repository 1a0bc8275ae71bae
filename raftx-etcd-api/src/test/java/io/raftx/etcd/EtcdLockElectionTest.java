package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.election.LeaderKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftx.coordination.CoordinationKeys;
import io.raftx.coordination.DistributedLock;
import io.raftx.coordination.LeaderElection;
import io.raftx.coordination.LockHolder;
import io.raftx.coordination.LockLease;
import io.raftx.coordination.LockOptions;
import io.raftx.volatilenode.VolatileClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * jetcd's Lock and Election clients against three RaftX nodes, and mutual exclusion with the template's locks and
 * elections (the core {@link DistributedLock} / {@link LeaderElection} on the keys {@code opsForLocks()} and
 * {@code opsForElection()} use).
 */
class EtcdLockElectionTest extends JetcdClusterTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    @Test
    void aLockTakenThroughEtcdExcludesTheTemplateUntilUnlocked() throws Exception {
        long lease = grant(30);
        ByteSequence key = etcd.getLockClient().lock(bytes("jobs.export"), lease).get(10, TimeUnit.SECONDS).getKey();
        assertThat(key.toString(StandardCharsets.UTF_8)).isEqualTo("jobs.export/" + Long.toHexString(lease));
        assertThat(etcd.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);

        DistributedLock template = templateLock("n3", "jobs.export");
        assertThat(template.tryAcquire().get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(template.holder().get(10, TimeUnit.SECONDS)).map(LockHolder::owner)
                .contains("etcd lease " + Long.toHexString(lease));

        etcd.getLockClient().unlock(key).get(10, TimeUnit.SECONDS);
        Optional<LockLease> taken = template.tryAcquire(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        assertThat(taken).isPresent();
        taken.get().release().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEtcdLockWaitsWhileTheTemplateHoldsIt() throws Exception {
        DistributedLock template = templateLock("n1", "reports.nightly");
        LockLease held = template.tryAcquire(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS).orElseThrow();
        long lease = grant(30);
        CompletableFuture<io.etcd.jetcd.lock.LockResponse> waiting = etcd.getLockClient()
                .lock(bytes("reports.nightly"), lease);
        // Longer than the template lock's lease: it is renewed, so the etcd client must still be waiting.
        assertThatThrownBy(() -> waiting.get(LEASE.toMillis() * 2, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        assertThat(held.isValid()).isTrue();

        held.release().get(10, TimeUnit.SECONDS);
        ByteSequence key = waiting.get(15, TimeUnit.SECONDS).getKey();
        assertThat(template.tryAcquire().get(10, TimeUnit.SECONDS)).isEmpty();
        etcd.getLockClient().unlock(key).get(10, TimeUnit.SECONDS);
    }

    @Test
    void revokingTheLeaseEndsTheEtcdLock() throws Exception {
        long lease = grant(30);
        etcd.getLockClient().lock(bytes("cache.rebuild"), lease).get(10, TimeUnit.SECONDS);
        DistributedLock template = templateLock("n2", "cache.rebuild");
        assertThat(template.tryAcquire().get(10, TimeUnit.SECONDS)).isEmpty();

        etcd.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);
        Optional<LockLease> taken = template.tryAcquire(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        assertThat(taken).isPresent();
        taken.get().release().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoEtcdClientsNeverHoldTheSameLock() throws Exception {
        long first = grant(30);
        long second = grant(30);
        ByteSequence key = etcd.getLockClient().lock(bytes("single"), first).get(10, TimeUnit.SECONDS).getKey();
        CompletableFuture<io.etcd.jetcd.lock.LockResponse> waiting = etcd.getLockClient().lock(bytes("single"), second);
        assertThatThrownBy(() -> waiting.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        etcd.getLockClient().unlock(key).get(10, TimeUnit.SECONDS);
        assertThat(waiting.get(15, TimeUnit.SECONDS).getKey().toString(StandardCharsets.UTF_8))
                .isEqualTo("single/" + Long.toHexString(second));
    }

    @Test
    void badLockRequestsGetEtcdsErrors() throws Exception {
        assertThat(status(etcd.getLockClient().lock(bytes("x"), 0x7777_7777L)))
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND))
                .satisfies(s -> assertThat(s.getDescription()).isEqualTo("etcdserver: requested lease not found"));
        long lease = grant(30);
        assertThat(status(etcd.getLockClient().lock(bytes("a*b"), lease)))
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .satisfies(s -> assertThat(s.getDescription()).contains("'a*b'").contains("'*'"));
    }

    @Test
    void anEtcdCampaignAndTheTemplateElectionShareOneLeader() throws Exception {
        long lease = grant(30);
        LeaderKey leader = etcd.getElectionClient().campaign(bytes("scheduler"), lease, bytes("p1"))
                .get(10, TimeUnit.SECONDS).getLeader();
        assertThat(leaderValue("scheduler")).isEqualTo("p1");
        etcd.getElectionClient().proclaim(leader, bytes("p2")).get(10, TimeUnit.SECONDS);
        assertThat(leaderValue("scheduler")).isEqualTo("p2");

        CompletableFuture<LockLease> elected = new CompletableFuture<>();
        LeaderElection template = new LeaderElection(volatiles("n3"), CoordinationKeys.election("scheduler"),
                "instance-3", LockOptions.ofLease(LEASE), new LeaderElection.Listener() {
                    @Override
                    public void elected(LockLease lease) {
                        elected.complete(lease);
                    }
                }).campaign();
        try {
            assertThatThrownBy(() -> elected.get(LEASE.toMillis() * 2, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            assertThat(template.currentLeader().get(10, TimeUnit.SECONDS))
                    .contains("etcd lease " + Long.toHexString(lease));

            etcd.getElectionClient().resign(leader).get(10, TimeUnit.SECONDS);
            elected.get(15, TimeUnit.SECONDS);
            // The template leads now: etcd clients see the election name and the candidate, and wait to campaign.
            assertThat(leaderValue("scheduler")).isEqualTo("instance-3");
            long other = grant(30);
            CompletableFuture<io.etcd.jetcd.election.CampaignResponse> campaign = etcd.getElectionClient()
                    .campaign(bytes("scheduler"), other, bytes("p3"));
            assertThatThrownBy(() -> campaign.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            // jetcd recognises etcd's message and turns it into its own exception.
            assertThatThrownBy(() -> etcd.getElectionClient().proclaim(leader, bytes("stale"))
                    .get(10, TimeUnit.SECONDS)).hasRootCauseMessage("etcdserver: election: not leader");

            template.resign().get(10, TimeUnit.SECONDS);
            assertThat(campaign.get(15, TimeUnit.SECONDS).getLeader().getLease()).isEqualTo(other);
            assertThat(leaderValue("scheduler")).isEqualTo("p3");
        } finally {
            template.close();
        }
    }

    @Test
    void observeStreamsEachNewLeaderWhetherEtcdOrTemplateElectedIt() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        etcd.getElectionClient().observe(bytes("observed"), new Election.Listener() {
            @Override
            public void onNext(io.etcd.jetcd.election.LeaderResponse response) {
                seen.add(response.getKv().getValue().toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable error) {
                seen.add("error: " + error);
            }

            @Override
            public void onCompleted() {
                seen.add("completed");
            }
        });
        LeaderKey first = etcd.getElectionClient().campaign(bytes("observed"), grant(30), bytes("first"))
                .get(10, TimeUnit.SECONDS).getLeader();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("first");
        etcd.getElectionClient().resign(first).get(10, TimeUnit.SECONDS);

        try (LeaderElection template = new LeaderElection(volatiles("n2"), CoordinationKeys.election("observed"),
                "instance-2", LockOptions.ofLease(LEASE), new LeaderElection.Listener() { }).campaign()) {
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("instance-2");
        }
    }

    @Test
    void anElectionWithoutLeaderAnswersNoLeader() {
        StatusRuntimeException e = (StatusRuntimeException) assertThatThrownBy(() -> io.etcd.jetcd.api.ElectionGrpc
                .newBlockingStub(cluster.channel("n2")).leader(io.etcd.jetcd.api.LeaderRequest.newBuilder()
                        .setName(com.google.protobuf.ByteString.copyFromUtf8("nobody.leads")).build()))
                .isInstanceOf(StatusRuntimeException.class).actual();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: election: no leader");
    }

    private static String leaderValue(String election) throws Exception {
        return etcd.getElectionClient().leader(bytes(election)).get(10, TimeUnit.SECONDS).getKv().getValue()
                .toString(StandardCharsets.UTF_8);
    }

    private static long grant(long ttlSeconds) throws Exception {
        return etcd.getLeaseClient().grant(ttlSeconds).get(10, TimeUnit.SECONDS).getID();
    }

    private static DistributedLock templateLock(String node, String name) {
        return new DistributedLock(volatiles(node), CoordinationKeys.lock(name), "template-" + node,
                LockOptions.ofLease(LEASE));
    }

    private static VolatileClient volatiles(String node) {
        return cluster.server(node).volatiles();
    }

    private static Status status(CompletableFuture<?> call) {
        try {
            call.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Status s = Status.fromThrowable(e.getCause());
            if (s.getDescription() == null) {
                throw new AssertionError("no gRPC status in " + e.getCause(), e.getCause());
            }
            return s;
        } catch (Exception e) {
            throw new AssertionError("expected the call to fail, got " + e, e);
        }
        throw new AssertionError("expected the call to fail, it succeeded");
    }
}
