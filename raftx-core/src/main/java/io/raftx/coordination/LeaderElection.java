package io.raftx.coordination;

import io.raftx.kv.watch.Watch;
import io.raftx.volatilenode.VolatileClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election for application instances ("run this on one instance only"), built on a {@link DistributedLock}:
 * the leader is the holder of the election's lock. Candidates campaign by trying to acquire it and keep trying
 * while someone else leads; the leader keeps it by renewing its lease. Everyone — candidates and pure observers —
 * sees who leads through a watch on the lock key.
 *
 * <p>Guarantees are the lock's (see {@link DistributedLock}): at most one instance believes it leads at any time
 * (under the lock's clock-rate assumption), each term of leadership has a fencing token greater than every earlier
 * one ({@link LockLease#fencingToken()}: pass it to anything the leader writes), and a leader that dies is replaced
 * about one lease later. Callbacks run on client threads, one at a time per election, in the order things happened
 * on this node; {@link Listener#elected} may be followed by {@link Listener#revoked} at any moment (lease lost),
 * and the application must stop acting as leader then — or better, rely on the token.
 */
public final class LeaderElection implements AutoCloseable {

    /** What an election tells the application. All methods default to doing nothing. */
    public interface Listener {
        /** This instance leads, until {@link #revoked}. */
        default void elected(LockLease lease) {
        }

        /** This instance no longer leads (it resigned, or its lease was lost). */
        default void revoked(String reason) {
        }

        /** The leader as this node sees it changed (empty: none right now). Also called for observers. */
        default void leaderChanged(Optional<String> leader) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final VolatileClient client;
    private final DistributedLock lock;
    private final Listener listener;
    private final AtomicBoolean campaigning = new AtomicBoolean();
    private final Object callbacks = new Object();
    private volatile LockLease leadership;
    private volatile Optional<String> lastLeader;
    /** Set by the first watch event: from then on the initial read is stale and must not be announced. */
    private volatile boolean watched;
    private Watch watch;

    /**
     * @param name      the election's volatile key (as for {@link DistributedLock})
     * @param candidate this instance's name, as others see it when it leads
     */
    public LeaderElection(VolatileClient client, String name, String candidate, LockOptions options, Listener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.lock = new DistributedLock(client, name, candidate, options);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts observing who leads (no campaigning); {@link #campaign()} also does this. */
    public synchronized LeaderElection observe() {
        if (watch == null) {
            watch = client.watch(lock.name(), e -> {
                watched = true;
                announce(Optional.ofNullable(LockHolder.parse(e.value())).map(LockHolder::owner));
            });
            lock.holder().thenAccept(h -> {
                if (!watched) {
                    announce(h.map(LockHolder::owner));
                }
            });
        }
        return this;
    }

    /** Starts campaigning: this instance becomes leader whenever the lock is free, until {@link #resign()}. */
    public LeaderElection campaign() {
        observe();
        if (campaigning.compareAndSet(false, true)) {
            runForLeader();
        }
        return this;
    }

    /** True while this instance leads (its lease is valid). */
    public boolean isLeader() {
        LockLease l = leadership;
        return l != null && l.isValid();
    }

    /** This instance's current leadership lease, if it leads. */
    public Optional<LockLease> leadership() {
        return Optional.ofNullable(leadership).filter(LockLease::isValid);
    }

    /** Who leads now, as a strong read. */
    public CompletableFuture<Optional<String>> currentLeader() {
        return lock.holder().thenApply(h -> h.map(LockHolder::owner));
    }

    /**
     * Stops campaigning and, if leading, steps down (the lock is released so another candidate takes over at once).
     * Call {@link #campaign()} to run again.
     */
    public CompletableFuture<Void> resign() {
        campaigning.set(false);
        LockLease l = leadership;
        leadership = null;
        if (l == null) {
            return CompletableFuture.completedFuture(null);
        }
        notify(() -> listener.revoked("resigned"));
        return l.release();
    }

    @Override
    public synchronized void close() {
        resign();
        if (watch != null) {
            watch.cancel();
            watch = null;
        }
    }

    private void runForLeader() {
        if (!campaigning.get()) {
            return;
        }
        lock.tryAcquire(lock.options().lease()).whenComplete((lease, e) -> {
            if (!campaigning.get()) {
                if (lease != null && lease.isPresent()) {
                    lease.get().release();
                }
                return;
            }
            if (e != null || lease.isEmpty()) {
                if (e != null) {
                    log.debug("election {}: campaign attempt failed: {}", lock.name(), e.getMessage());
                }
                runForLeader(); // someone else leads, or no volatile leader right now: keep trying
                return;
            }
            LockLease l = lease.get();
            leadership = l;
            notify(() -> listener.elected(l));
            l.lost().thenAccept(reason -> {
                if (leadership == l) {
                    leadership = null;
                    notify(() -> listener.revoked(reason));
                    runForLeader();
                }
            });
        });
    }

    private void announce(Optional<String> leader) {
        notify(() -> {
            if (!leader.equals(lastLeader)) {
                lastLeader = leader;
                listener.leaderChanged(leader);
            }
        });
    }

    /** Runs callbacks one at a time, so the application never sees two of them concurrently. */
    private void notify(Runnable callback) {
        synchronized (callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("election {}: listener failed", lock.name(), e);
            }
        }
    }

    /** How long a dead leader may keep the post before another candidate takes over: about one lease. */
    public Duration failoverTime() {
        return lock.options().lease();
    }
}
