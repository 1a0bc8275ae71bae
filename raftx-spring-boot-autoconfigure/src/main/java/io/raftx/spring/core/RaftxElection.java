package io.raftx.spring.core;

import io.raftx.coordination.LeaderElection;
import io.raftx.coordination.LockLease;
import io.raftx.coordination.LockOptions;
import io.raftx.spring.event.RaftxElectionGrantedEvent;
import io.raftx.spring.event.RaftxElectionRevokedEvent;
import io.raftx.spring.event.RaftxEvent;
import io.raftx.volatilenode.VolatileClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership in one election, from {@link RaftxElectionOperations#join}. Listeners run one at a time
 * on a thread of the election's own, in the order things happened, so a listener may block (a slow one delays
 * later calls of this election only).
 */
public final class RaftxElection implements AutoCloseable {

    /** Told when this instance gains or loses leadership. */
    public interface Listener {
        /** This instance leads, with this term's fencing token, until {@link #revoked}. */
        void granted(RaftxElection election, long fencingToken);

        /** This instance no longer leads: it yielded or left, or its lease was lost. Stop acting as leader. */
        void revoked(RaftxElection election, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(RaftxElection.class);

    private final String name;
    private final String candidate;
    private final Consumer<RaftxEvent> events;
    private final Consumer<RaftxElection> onLeave;
    /** Confined to the callbacks thread, like every call to a listener. */
    private final List<Subscription> listeners = new java.util.ArrayList<>();
    private final ExecutorService callbacks;
    private final LeaderElection election;
    private volatile Optional<String> leader = Optional.empty();
    private volatile boolean left;
    // The token of the term a revocation ends: the leadership is already cleared when revoked() is called.
    private volatile long lastToken;

    RaftxElection(String name, String key, String candidate, VolatileClient client, LockOptions options,
                  Consumer<RaftxEvent> events,
                  Consumer<RaftxElection> onLeave) {
        this.name = name;
        this.candidate = candidate;
        this.events = events;
        this.onLeave = onLeave;
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftx-election-" + name);
            t.setDaemon(true);
            return t;
        });
        this.election = new LeaderElection(client, key, candidate, options, new LeaderElection.Listener() {
            @Override
            public void elected(LockLease lease) {
                long token = lease.fencingToken();
                lastToken = token;
                events.accept(new RaftxElectionGrantedEvent(RaftxElection.this, candidate, name, candidate, token));
                onCallbackThread(() -> listeners.forEach(sub -> sub.granted(token)));
            }

            @Override
            public void revoked(String reason) {
                long token = lastToken;
                events.accept(new RaftxElectionRevokedEvent(RaftxElection.this, candidate, name, candidate, token,
                        reason));
                onCallbackThread(() -> listeners.forEach(sub -> sub.revoked(reason)));
            }

            @Override
            public void leaderChanged(Optional<String> now) {
                leader = now;
            }
        });
    }

    RaftxElection start() {
        election.campaign();
        return this;
    }

    public String name() {
        return name;
    }

    /** This instance's name in the election ({@code raftx.node-id} by default). */
    public String candidate() {
        return candidate;
    }

    /** True while this instance leads (its leadership lease is valid). */
    public boolean isLeader() {
        return election.isLeader();
    }

    /** The fencing token of this instance's current term of leadership; empty when it does not lead. */
    public OptionalLong fencingToken() {
        return election.leadership().map(l -> OptionalLong.of(l.fencingToken())).orElse(OptionalLong.empty());
    }

    /** Who leads, as this node last saw it (from a watch: may lag by a moment); empty while nobody does. */
    public Optional<String> leader() {
        return leader;
    }

    /** Adds a listener; if this instance leads right now, it is told at once. */
    public RaftxElection addListener(Listener listener) {
        // Registered on the callbacks thread, in order with every grant and revocation: a listener added while this
        // instance leads hears of the current term once, whether the grant was dispatched before or after it.
        onCallbackThread(() -> {
            Subscription sub = new Subscription(listener);
            listeners.add(sub);
            fencingToken().ifPresent(sub::granted);
        });
        return this;
    }

    /**
     * Steps down if leading, and campaigns again after a third of the lease, which gives the other candidates the
     * first chance to take over.
     */
    public void yieldLeadership() {
        if (!isLeader()) {
            return;
        }
        election.resign();
        CompletableFuture.delayedExecutor(election.failoverTime().toMillis() / 3, TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!left) {
                        election.campaign();
                    }
                });
    }

    /** Leaves the election: steps down if leading and stops campaigning. */
    public void leave() {
        if (left) {
            return;
        }
        left = true;
        election.close();
        onLeave.accept(this);
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        leave();
    }

    /** How long after a leader stops renewing another candidate may take over: the lease. */
    public Duration failoverTime() {
        return election.failoverTime();
    }

    private void onCallbackThread(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException afterLeave) {
            log.debug("election {}: listener call after leaving dropped", name);
        }
    }

    /** One listener and the term it was last told it leads, so that no grant reaches it twice. */
    private final class Subscription {
        private final Listener listener;
        private long grantedToken = -1;

        Subscription(Listener listener) {
            this.listener = listener;
        }

        void granted(long token) {
            if (token != grantedToken) {
                grantedToken = token;
                call(listener, l -> l.granted(RaftxElection.this, token));
            }
        }

        void revoked(String reason) {
            grantedToken = -1;
            call(listener, l -> l.revoked(RaftxElection.this, reason));
        }
    }

    private void call(Listener listener, Consumer<Listener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            log.warn("election {}: listener {} failed", name, listener, e);
        }
    }

    @Override
    public String toString() {
        return "RaftxElection{" + name + " candidate=" + candidate + (isLeader() ? " leading" : "") + "}";
    }
}
