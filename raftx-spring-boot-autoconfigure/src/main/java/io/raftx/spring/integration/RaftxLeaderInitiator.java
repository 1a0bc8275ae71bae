package io.raftx.spring.integration;

import io.raftx.spring.core.RaftxElection;
import io.raftx.spring.core.RaftxElectionOperations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * Runs a Spring Integration {@link Candidate} for leadership in a RaftX election named after its role: calls
 * {@code onGranted}/{@code onRevoked} and publishes {@code OnGrantedEvent}/{@code OnRevokedEvent}, like Spring
 * Integration's own leader initiators. At most one instance of the cluster is granted a role at a time; when it stops
 * (context closed) it steps down at once, and when it dies another instance is granted the role about one lease
 * later. Calls to the candidate run on the election's own thread, one at a time, so {@code onGranted} may block.
 */
public class RaftxLeaderInitiator implements SmartLifecycle, ApplicationEventPublisherAware {

    private static final Logger log = LoggerFactory.getLogger(RaftxLeaderInitiator.class);

    private final RaftxElectionOperations elections;
    private final Candidate candidate;
    private final Duration lease;
    private final Context context = new RaftxContext();
    private LeaderEventPublisher leaderEventPublisher = new DefaultLeaderEventPublisher();
    private volatile RaftxElection election;

    public RaftxLeaderInitiator(RaftxElectionOperations elections, Candidate candidate, Duration lease) {
        this.elections = elections;
        this.candidate = candidate;
        this.lease = lease;
    }

    public void setLeaderEventPublisher(LeaderEventPublisher leaderEventPublisher) {
        this.leaderEventPublisher = leaderEventPublisher;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        if (leaderEventPublisher instanceof DefaultLeaderEventPublisher defaults) {
            defaults.setApplicationEventPublisher(publisher);
        }
    }

    /** The candidate's view of its leadership. */
    public Context getContext() {
        return context;
    }

    @Override
    public synchronized void start() {
        if (election == null) {
            election = elections.join(candidate.getRole(), lease).addListener(new RaftxElection.Listener() {
                @Override
                public void granted(RaftxElection e, long fencingToken) {
                    try {
                        candidate.onGranted(context);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        log.info("Candidate {} interrupted in onGranted; yielding {}", candidate.getId(),
                                candidate.getRole());
                        e.yieldLeadership();
                        return;
                    }
                    leaderEventPublisher.publishOnGranted(RaftxLeaderInitiator.this, context, candidate.getRole());
                }

                @Override
                public void revoked(RaftxElection e, String reason) {
                    candidate.onRevoked(context);
                    leaderEventPublisher.publishOnRevoked(RaftxLeaderInitiator.this, context, candidate.getRole());
                }
            });
        }
    }

    /** Leaves the election: a leader steps down (the candidate's {@code onRevoked} runs) before this returns. */
    @Override
    public synchronized void stop() {
        if (election != null) {
            election.leave();
            election = null;
        }
    }

    @Override
    public boolean isRunning() {
        return election != null;
    }

    /** Late in the start order and early in the stop order, like Spring Integration's initiators. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private final class RaftxContext implements Context {
        @Override
        public boolean isLeader() {
            RaftxElection e = election;
            return e != null && e.isLeader();
        }

        @Override
        public void yield() {
            RaftxElection e = election;
            if (e != null) {
                e.yieldLeadership();
            }
        }

        @Override
        public String getRole() {
            return candidate.getRole();
        }

        @Override
        public String toString() {
            return "RaftxContext{role=" + candidate.getRole() + ", leader=" + isLeader() + "}";
        }
    }
}
