package io.raftx.node;

import java.util.concurrent.CompletableFuture;

/**
 * A client request on this node, from its own API or forwarded here by a follower, until it has an outcome. The
 * future gets the applied result (for reads: the read index to wait for) or a {@link RaftException} that says
 * whether the request may have been applied.
 */
final class Request {

    final Command command;
    final CompletableFuture<Applied> future = new CompletableFuture<>();
    final long deadline;
    /** False for requests a follower forwarded here: they are never forwarded again (no loops). */
    final boolean forwardable;
    /**
     * Some attempt so far (a local proposal or a forward) may have reached a log. From then on only a deadline
     * or a success ends the request: a refusal of a later attempt says nothing about the earlier ones.
     */
    boolean mayBeApplied;
    /**
     * For the forward in flight: whether an attempt before it may have been applied (a leader's "not applied"
     * speaks only for the one attempt it saw).
     */
    volatile boolean earlierAttemptMayApply;
    /** Counts forwards (loop thread writes): only the latest one's refusal or failure speaks for the request. */
    volatile int forwardAttempt;

    Request(Command command, long deadline, boolean forwardable) {
        this.command = command;
        this.deadline = deadline;
        this.forwardable = forwardable;
    }

    /** Whether a resend is known to be harmless: the applier answers a repeated request id with the first result. */
    boolean deduplicated() {
        return command.kind() != Command.Kind.CONFIG_CHANGE;
    }

    boolean isRead() {
        return command.kind().isRead();
    }

    /** Ends the request with the failure its history allows: unknown if an attempt may have applied it. */
    void fail(RaftException ifNotApplied, String ifMaybeApplied) {
        future.completeExceptionally(mayBeApplied ? new UnknownOutcomeException(ifMaybeApplied) : ifNotApplied);
    }
}
