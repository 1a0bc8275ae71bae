package io.raftx.spring.core;

import io.raftx.coordination.DistributedLock;
import io.raftx.coordination.LockHolder;
import io.raftx.coordination.LockOptions;
import io.raftx.spring.event.RaftxEvent;
import io.raftx.volatilenode.VolatileClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link RaftxElectionOperations} over the core's {@code LeaderElection}s. Keeps the elections joined, so that
 * {@link #leaveAll()} can step down from them when the application stops.
 */
public class DefaultRaftxElectionOperations implements RaftxElectionOperations {

    private final VolatileClient client;
    private final String candidate;
    private final Duration defaultLease;
    private final Consumer<RaftxEvent> events;
    private final Map<String, RaftxElection> joined = new ConcurrentHashMap<>();

    /**
     * @param candidate    this instance's name in every election (the node id)
     * @param defaultLease the lease of {@link #join(String)}
     * @param events       receives the granted and revoked events
     */
    public DefaultRaftxElectionOperations(VolatileClient client, String candidate, Duration defaultLease,
                                          Consumer<RaftxEvent> events) {
        this.client = client;
        this.candidate = candidate;
        this.defaultLease = LockNames.requireLease(defaultLease, client);
        this.events = events;
    }

    @Override
    public RaftxElection join(String name) {
        return join(name, defaultLease);
    }

    @Override
    public RaftxElection join(String name, Duration lease) {
        LockNames.requireName("election", name);
        LockNames.requireLease(lease, client);
        RaftxElection election = joined.compute(name, (n, existing) -> {
            if (existing != null) {
                throw new IllegalStateException("this instance already joined election '" + name + "'; leave() it"
                        + " before joining again, or share the RaftxElection it returned");
            }
            return new RaftxElection(name, LockNames.key("elections", name), candidate, client,
                    LockOptions.ofLease(lease), events, e -> joined.remove(name, e));
        });
        return election.start();
    }

    @Override
    public Optional<String> leader(String name) {
        LockNames.requireName("election", name);
        DistributedLock lock = new DistributedLock(client, LockNames.key("elections", name), candidate,
                LockOptions.defaults());
        return CoordinationCalls.await("read leader of election '" + name + "'", lock.holder(), client.timeout())
                .map(LockHolder::owner);
    }

    @Override
    public List<RaftxElection> joined() {
        return List.copyOf(joined.values());
    }

    /** Leaves every election; called when the application stops, before the node does. */
    public void leaveAll() {
        joined.values().forEach(RaftxElection::leave);
    }
}
