package io.raftx.node;

import io.raftx.raft.Raft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Leadership transfers this node started (loop thread), each done once its target is the leader this node knows. */
final class LeadershipTransfers {

    private record Transfer(String target, CompletableFuture<Void> done, long deadline) { }

    private final Duration requestTimeout;
    private final List<Transfer> transfers = new ArrayList<>();

    LeadershipTransfers(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** Asks the core to hand leadership to {@code target}; a refusal (not leader, unknown target) fails at once. */
    void start(Raft raft, String target, CompletableFuture<Void> done, long deadline) {
        try {
            raft.transferLeadership(target);
        } catch (IllegalArgumentException | IllegalStateException e) {
            done.completeExceptionally(new NotAppliedException(e.getMessage()));
            return;
        }
        transfers.add(new Transfer(target, done, deadline));
    }

    /** Completes the transfers whose target leads now, and fails those past their deadline. */
    void check(String leaderId) {
        if (transfers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        transfers.removeIf(t -> {
            if (t.target.equals(leaderId)) {
                t.done.complete(null);
                return true;
            }
            if (now > t.deadline) {
                t.done.completeExceptionally(new NotAppliedException("leadership did not move to " + t.target
                        + " within " + requestTimeout + "; leader is " + leaderId));
                return true;
            }
            return false;
        });
    }

    void failAll(String nodeId) {
        for (Transfer t : transfers) {
            t.done.completeExceptionally(new ShutdownException("node " + nodeId + " stopped during the transfer to "
                    + t.target));
        }
        transfers.clear();
    }
}
