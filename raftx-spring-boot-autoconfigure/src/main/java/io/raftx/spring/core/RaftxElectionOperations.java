package io.raftx.spring.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leader election among application instances ("run this on one instance only"): {@code
 * raftxTemplate.opsForElection()}. Joining an election campaigns for it: at most one instance leads at a time,
 * each term of leadership has a fencing token greater than every earlier term's, and when the leader dies or is cut
 * off another candidate takes over about one lease later. Every instance also sees who leads.
 *
 * <p>Besides the {@link RaftxElection.Listener}s, every grant and revocation is published as a
 * {@link io.raftx.spring.event.RaftxElectionGrantedEvent} / {@link io.raftx.spring.event.RaftxElectionRevokedEvent}.
 * Elections still joined when the application context closes are left (a leader steps down at once, so another
 * instance takes over without waiting for the lease).
 *
 * <p>Names follow the rules of lock names ({@link RaftxLockOperations}); an instance joins each election once.
 */
public interface RaftxElectionOperations {

    /** Joins with the default lease ({@code raftx.coordination.lease}). */
    RaftxElection join(String name);

    /**
     * Joins and starts campaigning.
     *
     * @param lease how long a leader that stopped renewing keeps the post: the failover time
     * @throws IllegalStateException if this instance already joined {@code name}
     */
    RaftxElection join(String name, Duration lease);

    /** Who leads {@code name} now (a read through the leader), whether or not this instance joined it. */
    Optional<String> leader(String name);

    /** The elections this instance has joined and not left. */
    List<RaftxElection> joined();
}
