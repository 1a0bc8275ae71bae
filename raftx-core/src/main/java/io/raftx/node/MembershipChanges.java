package io.raftx.node;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.ProposeResult;
import io.raftx.raft.Raft;
import io.raftx.raft.Role;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Membership changes of a node: adding a member (as a learner, then promoted once caught up) and removing one, as
 * requests that any node accepts and forwards to the leader; and, on the leader's loop, proposing them under the
 * rules of {@link MembershipCommands}.
 */
final class MembershipChanges {

    private final NodeConfig config;
    /** Submits a CONFIG_CHANGE command with this payload as a request of this node. */
    private final Function<byte[], CompletableFuture<Applied>> submit;
    /** The node's extensions; those that are {@link MembershipGate}s may hold a change of voters. */
    private final Supplier<Collection<LoopExtension>> gates;

    MembershipChanges(NodeConfig config, Function<byte[], CompletableFuture<Applied>> submit,
                      Supplier<Collection<LoopExtension>> gates) {
        this.gates = gates;
        this.config = config;
        this.submit = submit;
    }

    /** See {@link RaftNode#addMember}. */
    CompletableFuture<Membership> add(String id, String address) {
        Membership.requireValidId(id);
        Membership.requireValidAddress(id, address);
        long deadline = System.nanoTime() + config.promotionTimeout().toNanos();
        return submit(ConfigChange.addLearner(id, address)).thenCompose(added -> promoteWhenCaughtUp(id, deadline));
    }

    /** See {@link RaftNode#addLearner}. */
    CompletableFuture<Membership> addLearner(String id, String address) {
        Membership.requireValidId(id);
        Membership.requireValidAddress(id, address);
        return submit(ConfigChange.addLearner(id, address));
    }

    /** See {@link RaftNode#promoteLearner}. */
    CompletableFuture<Membership> promoteLearner(String id) {
        Membership.requireValidId(id);
        return submit(ConfigChange.promote(id));
    }

    /** See {@link RaftNode#removeMember}. */
    CompletableFuture<Membership> remove(String id) {
        Membership.requireValidId(id);
        return submit(ConfigChange.remove(id));
    }

    private CompletableFuture<Membership> promoteWhenCaughtUp(String id, long deadline) {
        return submit(ConfigChange.promote(id)).exceptionallyCompose(err -> {
            Throwable cause = err instanceof CompletionException ? err.getCause() : err;
            boolean behind = cause instanceof MembershipCommands.NotCaughtUpException
                    || String.valueOf(cause.getMessage()).contains("entries behind");
            if (!behind || System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(cause);
            }
            Duration pause = config.tick().multipliedBy(4);
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(x -> promoteWhenCaughtUp(id, deadline));
        });
    }

    private CompletableFuture<Membership> submit(ConfigChange change) {
        return submit.apply(MembershipCommands.encode(change)).thenApply(applied -> Membership.decode(applied.result()));
    }

    /**
     * Loop thread: proposes the change {@code request} carries if this node leads. Returns null when the request was
     * completed (refused) or handed to {@code park} to be retried on the next tick (the leader hands over first).
     */
    ProposeResult propose(Raft raft, Request request, long proposalId, Consumer<Request> park) {
        if (raft.role() != Role.LEADER) {
            return ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, raft.leaderId());
        }
        try {
            ProposeResult r = MembershipCommands.proposeOnLeader(raft, proposalId,
                    MembershipCommands.decode(request.command.payload()), config.maxPromotionLag(), gates.get());
            if (r == null) {
                park.accept(request);
            }
            return r;
        } catch (IllegalArgumentException e) {
            request.future.completeExceptionally(new NotAppliedException(e.getMessage()));
        } catch (NotAppliedException e) {
            request.future.completeExceptionally(e);
        }
        return null;
    }
}
