package io.raftx.coordination;

import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchPattern;
import io.raftx.node.RaftException;
import io.raftx.node.UnknownOutcomeException;
import io.raftx.volatilenode.VolatileClient;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lease-based distributed lock on one key of the volatile keyspace, with fencing tokens.
 *
 * <h2>How it works</h2>
 * Acquiring writes the holder (owner name + a nonce unique to the attempt) to the key with
 * {@code putIfAbsent} and a TTL of one lease: the leader checks absence at the write's place in the one volatile
 * order, so of any number of racing contenders exactly one gets it. The holder renews by rewriting the key
 * conditional on its version (compare-and-set), which restarts the TTL; releasing deletes it conditional on the
 * version. If the holder dies or is cut off, its renewals stop and the leader deletes the key one lease after the
 * last renewal it applied (expiry is decided by the leader and replicated, so every node sees the same). A write
 * whose outcome was unknown is resolved by a strong read: the nonce shows whether the grant or renewal applied.
 *
 * <h2>Guarantees</h2>
 * Within the volatile keyspace's failure model (at every moment a majority of voters runs and holds volatile
 * memory — see {@link io.raftx.volatiles}):
 * <ul>
 *   <li><b>Fencing tokens increase.</b> A grant's token is the global volatile op index of the write that granted
 *       it. Grants are ops of one total order that survives leader failover with their indexes, and each grant
 *       follows the expiry or release of the previous one, so every grant of a lock has a greater token than every
 *       earlier grant — across leader changes too.</li>
 *   <li><b>No overlapping leases</b> — under a clock assumption: the holder's node and the leaders' nodes measure
 *       time at the same rate, within {@link LockOptions#safetyMargin()} over one lease (no assumption about
 *       absolute clocks). A holder treats its lease as valid until the send time of its last applied grant or
 *       renewal + lease − margin; the leader applied that write after it was sent and expires the key no earlier
 *       than a lease after applying it ({@link io.raftx.volatilenode.TickDurations#ttlTicks}), and a new leader
 *       starts its countdown when it applied the write, later still. So a lease has ended (by its holder's clock)
 *       before the next grant exists.</li>
 *   <li><b>A dead holder's lock frees itself</b> about one lease after its last renewal; a released lock is free
 *       at once.</li>
 *   <li><b>Liveness</b> needs a volatile leader: during an election or recovery, acquiring waits and renewing
 *       retries; a holder whose renewals keep failing for a whole lease loses the lock ({@link LockLease#lost()}).</li>
 * </ul>
 *
 * <h2>The fencing-token contract</h2>
 * A lease alone cannot protect a resource: a holder can be paused (GC, swapping, a slow network) between checking
 * {@link LockLease#isValid()} and acting, and act after its lease ended and another holder began. The token closes
 * that gap <b>only if the resource checks it</b>: send the token with every operation, and let the resource remember
 * the highest token it has seen and reject any operation carrying a lower one. Then, because tokens increase with
 * every grant, a stale holder's late operation is refused. A resource that ignores tokens gets only the lease's
 * timing-based protection above.
 *
 * <p>Outside the failure model (a majority of voters lost its volatile memory at once, e.g. a full-cluster
 * restart) lock keys may vanish and indexes may be reused: a new grant's token can then be lower than one given
 * before, which a fencing resource refuses (safe, but the lock is stuck for it until tokens pass the old high
 * mark).
 *
 * <p>Not reentrant: one {@code DistributedLock} holds at most one lease at a time; acquiring while holding fails.
 * Thread-safe.
 */
public final class DistributedLock implements AutoCloseable {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raftx-lock-timer");
        t.setDaemon(true);
        return t;
    });
    private static final SecureRandom NONCES = new SecureRandom();

    private final VolatileClient client;
    private final String name;
    private final String owner;
    private final LockOptions options;
    private final Object lock = new Object();
    // Guarded by lock.
    private LockLease current;

    /**
     * @param client the volatile client of any node (the lock works from followers too)
     * @param name   the volatile key of the lock: dot-separated segments, no wildcards (it is watched exactly)
     * @param owner  who holds it, as observers see it (e.g. an instance id)
     */
    public DistributedLock(VolatileClient client, String name, String owner, LockOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.name = requireLockName(name);
        this.owner = Objects.requireNonNull(owner, "owner");
        this.options = Objects.requireNonNull(options, "options");
    }

    public String name() {
        return name;
    }

    public String owner() {
        return owner;
    }

    public LockOptions options() {
        return options;
    }

    /** The lease this lock holds, if any and still valid. */
    public Optional<LockLease> lease() {
        synchronized (lock) {
            return current != null && current.isValid() ? Optional.of(current) : Optional.empty();
        }
    }

    /**
     * One attempt: the lease if this call was granted the lock, empty if someone else holds it. Fails with a
     * {@link RaftException} if no leader could take the attempt in time (then it was not granted).
     */
    public CompletableFuture<Optional<LockLease>> tryAcquire() {
        return tryAcquireWith(client);
    }

    private CompletableFuture<Optional<LockLease>> tryAcquireWith(VolatileClient client) {
        synchronized (lock) {
            if (current != null && current.isValid()) {
                return CompletableFuture.failedFuture(new IllegalStateException("lock " + name + " is already held"
                        + " by this DistributedLock (token " + current.fencingToken() + "); it is not reentrant"));
            }
        }
        LockHolder holder = new LockHolder(HexFormat.of().formatHex(nonce()), owner);
        long sentAt = System.nanoTime();
        return client.putIfAbsent(name, holder.encode(), options.lease())
                .thenApply(r -> r.applied() ? Optional.of(r.index()) : Optional.<Long>empty())
                .exceptionallyCompose(e -> unwrap(e) instanceof UnknownOutcomeException
                        ? grantedDespiteUnknown(client, holder) : CompletableFuture.failedFuture(unwrap(e)))
                .thenApply(token -> token.map(t -> started(holder, t, sentAt)));
    }

    /**
     * Tries until granted or {@code timeout} passes (then empty). Waits between attempts while someone else holds
     * the lock, waking up at once when this node sees the lock key deleted.
     */
    public CompletableFuture<Optional<LockLease>> tryAcquire(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Optional<LockLease>> result = new CompletableFuture<>();
        CompletableFuture<Void> keyFreed = new CompletableFuture<>();
        Watch watch = client.watch(name, e -> {
            if (e.type() == WatchEvent.Type.DELETE) {
                keyFreed.complete(null);
            }
        });
        attempt(deadline, result, new WakeUp(keyFreed));
        return result.whenComplete((r, e) -> watch.cancel());
    }

    /** Holds the "lock key was deleted" signal for the waiting loop; replaced after each wake-up. */
    private static final class WakeUp {
        volatile CompletableFuture<Void> freed;

        WakeUp(CompletableFuture<Void> freed) {
            this.freed = freed;
        }
    }

    private void attempt(long deadline, CompletableFuture<Optional<LockLease>> result, WakeUp wakeUp) {
        if (System.nanoTime() - deadline >= 0) {
            result.complete(Optional.empty());
            return;
        }
        // Each attempt gets the time that is left (at least a tenth of a lease), so a stuck one cannot overrun it.
        Duration budget = Duration.ofNanos(Math.max(deadline - System.nanoTime(), options.lease().toNanos() / 10));
        tryAcquireWith(client.withTimeout(budget)).whenComplete((lease, e) -> {
            if (e == null && lease.isPresent()) {
                result.complete(lease);
                return;
            }
            if (e != null && unwrap(e) instanceof IllegalStateException ise) {
                result.completeExceptionally(ise);
                return;
            }
            long left = deadline - System.nanoTime();
            long wait = Math.min(Math.max(0, left), options.retryInterval().toNanos());
            CompletableFuture<Void> freed = wakeUp.freed;
            CompletableFuture.anyOf(freed, CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS)))
                    .whenComplete((x, y) -> {
                        if (freed.isDone()) {
                            wakeUp.freed = new CompletableFuture<>();
                        }
                        attempt(deadline, result, wakeUp);
                    });
        });
    }

    /** Releases the current lease, if any. */
    public CompletableFuture<Void> release() {
        LockLease l;
        synchronized (lock) {
            l = current;
            current = null;
        }
        return l == null ? CompletableFuture.completedFuture(null) : l.release();
    }

    /** Who holds the lock now (strong read), if anyone. */
    public CompletableFuture<Optional<LockHolder>> holder() {
        return client.get(name).thenApply(v -> v.filter(x -> !x.isSet()).map(x -> LockHolder.parse(x.bytes())));
    }

    @Override
    public void close() {
        release();
    }

    private LockLease started(LockHolder holder, long token, long sentAt) {
        LockLease l = new LockLease(client, name, holder, token, sentAt, options, SCHEDULER);
        synchronized (lock) {
            current = l;
        }
        l.startRenewing();
        return l;
    }

    /**
     * The grant's outcome was unknown: a strong read tells whether our nonce is there. If it is, its version is the
     * granting write's index (only this attempt writes this nonce, and it has not renewed yet). If it is not, the
     * write may still apply later (it was pending at a leader that timed it out); then nobody uses that grant and it
     * expires after one lease — it costs time, never safety.
     */
    private CompletableFuture<Optional<Long>> grantedDespiteUnknown(VolatileClient client, LockHolder holder) {
        byte[] mine = holder.encode();
        return client.get(name).thenApply(v -> v.filter(x -> !x.isSet() && java.util.Arrays.equals(x.bytes(), mine))
                .map(x -> x.version()));
    }

    private static byte[] nonce() {
        byte[] b = new byte[8];
        NONCES.nextBytes(b);
        return b;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    static String requireLockName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.contains("*")) {
            throw new IllegalArgumentException("lock name '" + name + "' must not contain '*': it is watched as an exact key");
        }
        WatchPattern.compile(name); // clear error for empty segments
        return name;
    }
}
