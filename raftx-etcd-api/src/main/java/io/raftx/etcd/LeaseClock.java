package io.raftx.etcd;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.LeaseObserver;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when leases expire. Every node follows the replicated lease table (grants, keep-alives, revokes as they
 * are applied) and keeps a local deadline per lease; only the leader acts on them, by proposing the revoke through
 * the log, so every replica deletes the same keys at the same revision. A node that becomes leader first gives every
 * lease a full TTL from now, as etcd does, since it cannot know how long ago the old leader last renewed them.
 */
final class LeaseClock implements LeaseObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseClock.class);

    private record Deadline(long ttlSeconds, long expiresAtNanos) { }

    private final RaftNode node;
    private final KvClient kv;
    private final LongSupplier nanoClock;
    private final Map<Long, Deadline> deadlines = new ConcurrentHashMap<>();
    private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raftx-etcd-lease-clock");
        t.setDaemon(true);
        return t;
    });
    private boolean wasLeader;

    LeaseClock(RaftNode node, KvClient kv, KvStateMachine stateMachine, LongSupplier nanoClock) {
        this.node = node;
        this.kv = kv;
        this.nanoClock = nanoClock;
        stateMachine.setLeaseObserver(this);
    }

    /** Loads the leases applied before this clock existed and starts checking deadlines every {@code checkMillis}. */
    void start(KvStateMachine stateMachine, long checkMillis) {
        node.read(ReadConsistency.LOCAL, stateMachine::leases).thenAccept(all ->
                all.forEach((id, ttl) -> deadlines.putIfAbsent(id, fresh(ttl))));
        timer.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    private Deadline fresh(long ttlSeconds) {
        return new Deadline(ttlSeconds, nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds));
    }

    /** The TTL lease {@code id} was granted with, or 0 if this node knows no such lease. */
    long grantedTtl(long id) {
        Deadline d = deadlines.get(id);
        return d == null ? 0 : d.ttlSeconds();
    }

    /** Remaining seconds of lease {@code id} on this node's clock, or -1 if this node knows no such lease. */
    long remainingSeconds(long id) {
        Deadline d = deadlines.get(id);
        if (d == null) {
            return -1;
        }
        long left = d.expiresAtNanos() - nanoClock.getAsLong();
        return Math.max(0, (left + 999_999_999L) / 1_000_000_000L);
    }

    void check() {
        NodeStatus s = node.status();
        boolean leader = s != null && s.role() == Role.LEADER;
        if (leader && !wasLeader) {
            deadlines.replaceAll((id, d) -> fresh(d.ttlSeconds()));
        }
        wasLeader = leader;
        if (!leader) {
            return;
        }
        long now = nanoClock.getAsLong();
        deadlines.forEach((id, d) -> {
            if (d.expiresAtNanos() <= now && revoking.add(id)) {
                kv.revokeLease(id).whenComplete((r, err) -> {
                    revoking.remove(id);
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    if (cause instanceof io.raftx.kv.LeaseException) {
                        deadlines.remove(id); // already gone: nothing left to expire
                    } else if (err != null) {
                        log.debug("revoking expired lease {} failed (retried): {}", id, err.toString());
                    }
                });
            }
        });
    }

    @Override
    public void granted(long id, long ttlSeconds) {
        deadlines.put(id, fresh(ttlSeconds));
    }

    @Override
    public void keptAlive(long id, long ttlSeconds) {
        deadlines.put(id, fresh(ttlSeconds));
    }

    @Override
    public void revoked(long id) {
        deadlines.remove(id);
    }

    @Override
    public void reset(Map<Long, Long> leases) {
        deadlines.clear();
        leases.forEach((id, ttl) -> deadlines.put(id, fresh(ttl)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
