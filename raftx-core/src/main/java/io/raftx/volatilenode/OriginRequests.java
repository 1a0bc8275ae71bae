package io.raftx.volatilenode;

import io.raftx.volatilenode.wire.ForwardedReply;
import io.raftx.volatilenode.wire.ForwardedRequest;
import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileReplica;
import io.raftx.volatiles.VolatileValue;
import io.raftx.volatiles.WriteOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client requests made on this node, until each completes: handed to the local core when this node leads,
 * forwarded to the Raft leader otherwise, and retried — after a definite refusal only, one attempt at a time, so a
 * write is never applied twice — until the deadline. Loop thread only.
 *
 * <p>Outcomes: COMMITTED and CONDITION_FAILED complete the write; an unknown outcome fails it with
 * {@link io.raftx.node.UnknownOutcomeException}; refusals by a leader still recovering, without a quorum, or by a
 * node that no longer leads are retried; reads that lost their confirmation are retried (they change nothing).
 */
final class OriginRequests {

    /** What routing needs from the node. */
    interface Node {
        String nodeId();

        /** The volatile core, or null before the node knows its membership. */
        VolatileReplica core();

        /** The Raft leader this node knows of, or null. */
        String raftLeader();

        void forward(String leader, ForwardedRequest request);
    }

    private final Node node;
    private final LeaderRequests leaderRequests;
    /** Requests with no attempt in flight, to route again at the next tick or leader change. */
    private final Set<ClientRequest> waiting = new LinkedHashSet<>();
    private final Map<Long, ClientRequest> forwarded = new HashMap<>();
    /** Requests the local core accepted (as leader); they complete through {@link LeaderRequests}. */
    private final Set<ClientRequest> acceptedLocally = new LinkedHashSet<>();
    private long nextAttemptId = 1;

    OriginRequests(Node node, LeaderRequests leaderRequests) {
        this.node = node;
        this.leaderRequests = leaderRequests;
    }

    void submit(ClientRequest r) {
        route(r, System.nanoTime());
    }

    private void route(ClientRequest r, long now) {
        waiting.remove(r);
        if (r.isDone()) {
            return;
        }
        if (now - r.deadlineNanos > 0) {
            r.fail(RequestFailures.timedOut(r));
            return;
        }
        VolatileReplica core = node.core();
        String leader = node.raftLeader();
        if (core != null && core.isLeader()) {
            Admission a = leaderRequests.submitLocal(core, r);
            if (a.accepted()) {
                r.mayBeApplied = r.isWrite();
                acceptedLocally.add(r);
            } else {
                onRefused(r, a.refusal(), a.leaderHint());
            }
        } else if (leader != null && !leader.equals(node.nodeId())) {
            long attempt = nextAttemptId++;
            r.attemptId = attempt;
            r.forwardedTo = leader;
            r.mayBeApplied = r.isWrite();
            forwarded.put(attempt, r);
            node.forward(leader, r.isWrite() ? ForwardedRequest.write(attempt, r.op)
                    : ForwardedRequest.read(attempt, r.readKey));
        } else {
            r.lastProblem = core == null ? "this node does not know the cluster's membership yet" : "no leader known";
            waiting.add(r);
        }
    }

    private void onRefused(ClientRequest r, Admission.Refusal refusal, String leaderHint) {
        r.mayBeApplied = false; // a refusal is definite, and it answered the only attempt in flight
        r.lastProblem = RequestFailures.describe(refusal, leaderHint);
        if (RequestFailures.isTransient(refusal)) {
            waiting.add(r);
        } else {
            r.fail(RequestFailures.refused(r, refusal, leaderHint));
        }
    }

    void onReply(String from, ForwardedReply reply) {
        ClientRequest r = forwarded.remove(reply.attemptId());
        if (r == null || r.attemptId != reply.attemptId()) {
            return; // an attempt that already timed out
        }
        r.attemptId = 0;
        switch (reply.kind()) {
            case REFUSED -> onRefused(r, reply.refusal(), reply.leaderHint() != null ? reply.leaderHint() : from);
            case WRITTEN -> onWriteOutcome(r, reply.writeStatus(), reply.index(), reply.epoch());
            case READ -> onReadResult(r, reply.readStatus(), reply.value());
        }
    }

    void onWriteOutcome(ClientRequest r, WriteOutcome.Status status, long index, long epoch) {
        acceptedLocally.remove(r);
        switch (status) {
            case COMMITTED -> r.completeWrite(new VolatileWriteResult(index, epoch, true));
            case CONDITION_FAILED -> r.completeWrite(new VolatileWriteResult(index, epoch, false));
            case UNKNOWN_LEADERSHIP_LOST, UNKNOWN_TIMED_OUT -> r.fail(RequestFailures.unknown(r, status));
        }
    }

    void onReadResult(ClientRequest r, ReadResult.Status status, VolatileValue value) {
        acceptedLocally.remove(r);
        if (status == ReadResult.Status.OK) {
            r.completeRead(value);
        } else {
            r.lastProblem = status == ReadResult.Status.LEADERSHIP_LOST ? "the leader lost its leadership"
                    : "no majority confirmed the leader in time";
            waiting.add(r); // reads change nothing: asking again is always safe
        }
    }

    /** Every tick: forwarded attempts past their deadline give up; waiting requests try again. */
    void onTick() {
        long now = System.nanoTime();
        List<Long> expired = new ArrayList<>();
        forwarded.forEach((attempt, r) -> {
            if (now - r.deadlineNanos > 0) {
                expired.add(attempt);
            }
        });
        for (long attempt : expired) {
            ClientRequest r = forwarded.remove(attempt);
            r.fail(RequestFailures.timedOut(r));
        }
        retryWaiting();
    }

    /**
     * The Raft leader changed: attempts forwarded to another node will most likely never be answered (it stopped
     * leading, or died). Reads go to the new leader at once; writes end with an unknown outcome now rather than at
     * their deadline — the old leader's epoch is over, so a new leader's recovery decides them, and the caller can
     * find out with a strong read (the lock does exactly that).
     */
    void leaderChanged(String newLeader) {
        List<Long> stale = new ArrayList<>();
        forwarded.forEach((attempt, r) -> {
            if (!r.forwardedTo.equals(newLeader)) {
                stale.add(attempt);
            }
        });
        for (long attempt : stale) {
            ClientRequest r = forwarded.remove(attempt);
            r.attemptId = 0;
            if (r.isWrite()) {
                r.fail(new io.raftx.node.UnknownOutcomeException(r.describe() + " was forwarded to " + r.forwardedTo
                        + ", which stopped leading before it answered; it may or may not be applied"));
            } else {
                r.lastProblem = r.forwardedTo + " stopped leading before it answered";
                waiting.add(r);
            }
        }
        retryWaiting();
    }

    /** Routes every waiting request again (on a tick, or at once when the leader changes). */
    void retryWaiting() {
        long now = System.nanoTime();
        for (ClientRequest r : new ArrayList<>(waiting)) {
            route(r, now);
        }
    }

    int inFlight() {
        return waiting.size() + forwarded.size() + acceptedLocally.size();
    }

    void stop() {
        List<ClientRequest> all = new ArrayList<>(waiting);
        all.addAll(forwarded.values());
        all.addAll(acceptedLocally);
        waiting.clear();
        forwarded.clear();
        acceptedLocally.clear();
        for (ClientRequest r : all) {
            r.fail(RequestFailures.stopped(r, node.nodeId()));
        }
    }
}
