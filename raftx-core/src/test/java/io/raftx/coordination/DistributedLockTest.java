package io.raftx.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.volatilenode.VolatileSettings;
import io.raftx.volatilenode.VolatileTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock on real nodes: exclusion, increasing fencing tokens, expiry of a dead holder, leader failover. */
class DistributedLockTest {

    @TempDir
    Path dir;
    VolatileTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private DistributedLock lock(String node, String owner, LockOptions options) {
        return new DistributedLock(cluster.client(node), "locks.job", owner, options);
    }

    @Test
    void oneHolderAtATimeAndEveryGrantHasAGreaterToken() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        LockOptions options = LockOptions.ofLease(Duration.ofSeconds(5));
        DistributedLock a = lock("n1", "a", options);
        DistributedLock b = lock("n2", "b", options);
        LockLease first = a.tryAcquire().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(first.isValid()).isTrue();
        assertThat(b.tryAcquire().get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(b.holder().get(10, TimeUnit.SECONDS)).map(LockHolder::owner).contains("a");
        assertThatThrownBy(() -> a.tryAcquire().get(10, TimeUnit.SECONDS)).hasMessageContaining("not reentrant");

        Thread.sleep(2 * options.renewInterval().toMillis()); // renewals keep it (and keep its token)
        assertThat(first.isValid()).isTrue();
        assertThat(b.tryAcquire().get(10, TimeUnit.SECONDS)).isEmpty();

        var waiting = b.tryAcquire(Duration.ofSeconds(5));
        first.release().get(10, TimeUnit.SECONDS);
        assertThat(first.isValid()).isFalse();
        LockLease second = waiting.get(10, TimeUnit.SECONDS).orElseThrow(); // woken by the delete
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(b.holder().get(10, TimeUnit.SECONDS)).map(LockHolder::owner).contains("b");
        assertThatThrownBy(() -> new DistributedLock(cluster.client("n1"), "locks.*", "x", options))
                .hasMessageContaining("must not contain '*'");
        assertThatThrownBy(() -> new LockOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMillis(10))).hasMessageContaining("shorter than the lease");
    }

    @Test
    void aDeadHoldersLockIsFreedAfterItsLease() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        String leader = cluster.awaitVolatileLeader();
        String holderNode = cluster.aFollower();
        String contenderNode = cluster.running().stream().filter(id -> !id.equals(holderNode)).findFirst().orElseThrow();
        LockOptions options = LockOptions.ofLease(Duration.ofMillis(1500));
        LockLease held = lock(holderNode, "doomed", options).tryAcquire().get(10, TimeUnit.SECONDS).orElseThrow();
        Thread.sleep(500);

        long validUntil = System.nanoTime() + held.remaining().toNanos();
        long stoppedAt = System.nanoTime();
        cluster.stop(holderNode); // the holder's process is gone: nobody renews or releases
        DistributedLock contender = lock(contenderNode, "next", options);
        LockLease taken = contender.tryAcquire(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS).orElseThrow();
        long takenAt = System.nanoTime();

        assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(takenAt).as("the dead holder's lease had ended before the next grant").isGreaterThan(validUntil);
        assertThat(Duration.ofNanos(takenAt - stoppedAt)).isLessThan(options.lease().plusSeconds(2));
        assertThat(held.isValid()).isFalse();
        assertThat(leader).isNotNull();
    }

    /**
     * An acquire that waited for a leader (as at application start) uses up much of the lease before it is granted:
     * the first renewal must be due from the validity deadline, not a renewal interval after the grant.
     */
    @Test
    void aGrantThatTookMostOfTheLeaseIsRenewedInTime() throws Exception {
        cluster = new VolatileTestCluster(dir, 3, VolatileSettings.defaults());
        cluster.start("n1"); // no majority yet: the attempt waits for a leader
        // A long lease, so that a loaded machine still leaves the renewal time to get through once it is due.
        LockOptions options = LockOptions.ofLease(Duration.ofSeconds(10));
        Duration renewalWindow = options.lease().minus(options.safetyMargin()).minus(options.renewInterval());
        DistributedLock lock = new DistributedLock(cluster.client("n1").withTimeout(Duration.ofSeconds(30)),
                "locks.slow", "a", options);
        long sentAt = System.nanoTime();
        var attempt = lock.tryAcquire();
        Thread.sleep(renewalWindow.toMillis() + 300);
        cluster.start("n2");
        cluster.start("n3");
        LockLease lease = attempt.get(30, TimeUnit.SECONDS).orElseThrow();
        long grantedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
        assertThat(grantedAfterMillis).as("the grant took longer than lease - margin - renewInterval")
                .isGreaterThan(renewalWindow.toMillis());
        // Past the end of the validity the grant began with: only a renewal can have kept it.
        long firstValidityEnds = sentAt + options.lease().minus(options.safetyMargin()).toNanos();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(firstValidityEnds - System.nanoTime())) + 1000);
        assertThat(lease.lost()).as("lost: %s", lease.lost().getNow("")).isNotDone();
        assertThat(lease.isValid()).isTrue();
        assertThat(lock.holder().get(10, TimeUnit.SECONDS)).map(LockHolder::owner).contains("a");
    }

    record Grant(String owner, long token, long start, long end) {
    }

    @Test
    void tokensIncreaseAndLeasesNeverOverlapAcrossLeaderFailover() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        LockOptions options = new LockOptions(Duration.ofMillis(800), Duration.ofMillis(200), Duration.ofMillis(80),
                Duration.ofMillis(20));
        List<Grant> grants = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> contenders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String node = "n" + (i % 3 + 1);
            String owner = "c" + i;
            DistributedLock lock = lock(node, owner, options);
            Thread t = new Thread(() -> contend(lock, owner, running, grants), owner);
            contenders.add(t);
            t.start();
        }
        Thread.sleep(2_000);
        String oldLeader = cluster.awaitVolatileLeader();
        int grantsBefore = grants.size();
        long killedAt = System.nanoTime();
        cluster.stop(oldLeader); // abrupt: contenders on it die with it, holders there stop renewing
        cluster.awaitVolatileLeader();
        Thread.sleep(3_000);
        running.set(false);
        for (Thread t : contenders) {
            t.join(15_000);
        }

        List<Grant> sorted = new ArrayList<>(grants);
        sorted.sort(Comparator.comparingLong(Grant::start));
        System.out.printf("lock failover: %d grants (%d before killing leader %s), tokens %d..%d%n", sorted.size(),
                grantsBefore, oldLeader, sorted.get(0).token(), sorted.get(sorted.size() - 1).token());
        assertThat(grantsBefore).isGreaterThan(1);
        assertThat(sorted.stream().filter(g -> g.start() > killedAt).count()).as("grants after the failover")
                .isGreaterThan(1);
        for (int i = 1; i < sorted.size(); i++) {
            Grant prev = sorted.get(i - 1);
            Grant next = sorted.get(i);
            assertThat(next.token()).as("token of %s after %s", next, prev).isGreaterThan(prev.token());
            assertThat(next.start()).as("%s began before %s ended", next, prev).isGreaterThanOrEqualTo(prev.end());
        }
    }

    /** Acquires, uses the lock while its lease is valid for a random while, releases; until told to stop. */
    private static void contend(DistributedLock lock, String owner, AtomicBoolean running, List<Grant> grants) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            Optional<LockLease> got;
            try {
                got = lock.tryAcquire(Duration.ofMillis(500)).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e.getCause() instanceof io.raftx.node.ShutdownException) {
                    return; // this contender's node was stopped
                }
                continue; // no leader for a moment
            }
            if (got.isEmpty()) {
                continue;
            }
            LockLease lease = got.get();
            long start = System.nanoTime();
            long holdUntil = start + TimeUnit.MILLISECONDS.toNanos(random.nextInt(20, 300));
            // The latest instant the lease could still have been valid: an upper bound of its validity, so the
            // overlap check below errs on the strict side. A release ends validity before the lock can be freed,
            // so for a released lease the time release() was called bounds it.
            long end = start;
            while (true) {
                Duration remaining = lease.remaining();
                long now = System.nanoTime();
                if (remaining.isZero()) {
                    break;
                }
                end = Math.max(end, now + remaining.toNanos());
                if (now > holdUntil || !running.get()) {
                    end = Math.min(end, System.nanoTime());
                    lease.release();
                    break;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
            grants.add(new Grant(owner, lease.fencingToken(), start, end));
        }
    }
}
