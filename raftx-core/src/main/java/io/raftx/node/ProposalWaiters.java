package io.raftx.node;

import io.raftx.raft.ProposalOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Requests this node proposed as leader, by proposal id, until the core reports their outcome: applied (with the
 * state machine's result), definitely not applied (another leader's entry took the index), or unknown (the deadline
 * passed, the node stopped, or an earlier attempt of the same request elsewhere may still apply).
 */
final class ProposalWaiters {

    /** @param earlierAttemptMayApply an earlier attempt of the same request got no definite answer */
    private record Waiter(Request request, boolean earlierAttemptMayApply) { }

    private final Duration requestTimeout;
    /** Insertion order is deadline order: every request gets the same timeout. */
    private final Map<Long, Waiter> proposed = new LinkedHashMap<>();

    ProposalWaiters(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** The core accepted {@code request} as proposal {@code proposalId}: from now on it may be applied. */
    void track(long proposalId, Request request) {
        proposed.put(proposalId, new Waiter(request, request.mayBeApplied));
        request.mayBeApplied = true;
    }

    /** Completes the waiters of the core's outcomes; {@code results} are the applied entries' results by index. */
    void complete(List<ProposalOutcome> outcomes, Map<Long, Applied> results) {
        for (ProposalOutcome o : outcomes) {
            Waiter w = proposed.remove(o.proposalId());
            if (w == null) {
                continue;
            }
            Applied applied = results.get(o.index());
            CompletableFuture<Applied> future = w.request.future;
            if (o.status() == ProposalOutcome.Status.COMMITTED && applied != null) {
                future.complete(applied);
            } else if (w.earlierAttemptMayApply) {
                future.completeExceptionally(new UnknownOutcomeException("this attempt lost its place at index "
                        + o.index() + ", but an earlier attempt forwarded to another leader may still be applied"));
            } else {
                future.completeExceptionally(new NotAppliedException("another leader's entry was committed at index "
                        + o.index() + "; this request was not applied, retry"));
            }
        }
    }

    /** Fails the proposals whose deadline passed: they may still be applied later. */
    void expire(long nowNanos) {
        Iterator<Waiter> it = proposed.values().iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (w.request.deadline > nowNanos) {
                break;
            }
            it.remove();
            w.request.future.completeExceptionally(new UnknownOutcomeException("proposal not committed within "
                    + requestTimeout + " (leader change or lost quorum?); it may still be applied"));
        }
    }

    /**
     * This node stopped leading with proposals whose fate it does not know: their entries may still commit under
     * the new leader, or be overwritten. Its own clients' requests go to {@code route} to be sent to the new leader
     * (same request id: applied at most once); requests a follower forwarded here fail as unknown, and that
     * follower resends them the same way. Membership changes, which are not deduplicated, wait for their outcome.
     */
    void handOver(String nodeId, Consumer<Request> route) {
        List<Request> moved = new ArrayList<>();
        Iterator<Waiter> it = proposed.values().iterator();
        while (it.hasNext()) {
            Request r = it.next().request;
            if (!r.deduplicated()) {
                continue;
            }
            it.remove();
            if (r.forwardable) {
                moved.add(r);
            } else {
                r.future.completeExceptionally(new UnknownOutcomeException("node " + nodeId + " stopped leading "
                        + "before this request committed; it may still be applied"));
            }
        }
        moved.forEach(route);
    }

    void failAll(String nodeId) {
        for (Waiter w : proposed.values()) {
            w.request.future.completeExceptionally(new UnknownOutcomeException("node " + nodeId
                    + " stopped before the outcome was known"));
        }
        proposed.clear();
    }
}
