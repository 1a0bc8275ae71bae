package io.raftx.node;

import io.raftx.raft.ProposeResult;
import io.raftx.raft.Raft;
import io.raftx.raft.Role;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Loop thread: takes each request where it can make progress. A leader proposes it (or asks for a read index); a
 * follower forwards it to the leader it knows; without a leader, or while the leader cannot take it yet (transfer
 * or membership change under way), it is parked and routed again on every tick until its deadline.
 */
final class RequestRouter {

    private final String nodeId;
    private final Duration requestTimeout;
    private final Raft raft;
    private final TickClock tickClock;
    private final ProposalWaiters proposals;
    private final ReadWaiters reads;
    private final Forwarder forwarder;
    private final MembershipChanges membership;
    private final ArrayDeque<Request> parked = new ArrayDeque<>();
    private long nextProposalId = 1;
    // The leadership seen at the end of the previous pass.
    private long seenTerm = -1;
    private String seenLeader;
    private boolean wasLeader;

    RequestRouter(String nodeId, Duration requestTimeout, Raft raft, TickClock tickClock, ProposalWaiters proposals,
                  ReadWaiters reads, Forwarder forwarder, MembershipChanges membership) {
        this.nodeId = nodeId;
        this.requestTimeout = requestTimeout;
        this.raft = raft;
        this.tickClock = tickClock;
        this.proposals = proposals;
        this.reads = reads;
        this.forwarder = forwarder;
        this.membership = membership;
    }

    void route(Request request) {
        if (request.future.isDone()) {
            return;
        }
        if (System.nanoTime() > request.deadline) {
            request.fail(new NoLeaderException("no leader elected within " + requestTimeout
                    + " (election in progress or no quorum); not applied, retry"),
                    "request timed out after " + requestTimeout + "; it may have been applied");
            return;
        }
        if (request.isRead()) {
            routeRead(request);
            return;
        }
        long proposalId = nextProposalId++;
        ProposeResult r;
        if (request.command.kind() == Command.Kind.CONFIG_CHANGE) {
            r = membership.propose(raft, request, proposalId, parked::add);
            if (r == null) {
                return;
            }
        } else {
            r = raft.propose(proposalId, request.command.encode());
        }
        if (r.accepted()) {
            proposals.track(proposalId, request);
        } else if (r.refusal() == ProposeResult.Refusal.TRANSFERRING
                || r.refusal() == ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS) {
            parked.add(request); // lands once the transfer or earlier change is done
        } else if (r.refusal() == ProposeResult.Refusal.DROPPED && request.mayBeApplied) {
            parked.add(request); // an earlier attempt may still apply: retry (deduplicated) until the deadline
        } else if (r.refusal() == ProposeResult.Refusal.DROPPED) {
            request.future.completeExceptionally(new NotAppliedException(
                    "leader " + nodeId + " has too many uncommitted entries; not applied, retry later"));
        } else if (!request.forwardable) {
            request.future.completeExceptionally(new Forwarding.NotLeader(r.leaderHint(), nodeId));
        } else if (r.leaderHint() != null) {
            forwarder.forward(request, r.leaderHint());
        } else {
            parked.add(request);
        }
    }

    /**
     * A read index from this node if it leads, else from the leader; the future gets the index to wait for. A lease
     * read is answered from the lease only while the core's tick count is current: after a pause it lags real time,
     * and the lease it counts may have run out.
     */
    private void routeRead(Request request) {
        if (raft.role() == Role.LEADER) {
            if (request.command.kind() == Command.Kind.LEASE_READ && raft.leaseValid() && tickClock.current()) {
                request.future.complete(new Applied(raft.commitIndex(), new byte[0]));
                return;
            }
            long readId = nextProposalId++;
            raft.readIndex(readId);
            reads.awaitConfirmation(readId, request);
        } else if (!request.forwardable) {
            request.future.completeExceptionally(new Forwarding.NotLeader(raft.leaderId(), nodeId));
        } else if (raft.leaderId() != null) {
            forwarder.forward(request, raft.leaderId());
        } else {
            parked.add(request);
        }
    }

    /** Holds {@code request} until the next tick. */
    void park(Request request) {
        parked.add(request);
    }

    /** Each tick: routes the parked requests again. */
    void retryParked() {
        for (int n = parked.size(); n > 0; n--) {
            route(parked.poll());
        }
    }

    /**
     * After each loop pass: when the leader changed, nothing keeps waiting on the old one. A leader that stepped down
     * hands its undecided proposals and reads over; requests forwarded to or queued for another node move to the new
     * leader; parked requests are routed now rather than on the next tick.
     */
    void afterPass() {
        String leader = raft.leaderId();
        boolean leads = raft.role() == Role.LEADER;
        if (raft.term() == seenTerm && Objects.equals(leader, seenLeader) && leads == wasLeader) {
            return;
        }
        boolean steppedDown = wasLeader && !leads;
        seenTerm = raft.term();
        seenLeader = leader;
        wasLeader = leads;
        if (steppedDown) {
            proposals.handOver(nodeId, this::route);
            reads.handOver(this::route);
        }
        if (leader != null) {
            forwarder.leaderChanged(leader, this::route);
            retryParked();
        }
    }

    void failAll() {
        for (Request r : parked) {
            r.fail(new ShutdownException("node " + nodeId + " stopped; not applied"), "node " + nodeId
                    + " stopped while retrying a request that an earlier attempt may have applied");
        }
        parked.clear();
    }
}
