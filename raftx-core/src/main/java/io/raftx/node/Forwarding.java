package io.raftx.node;

import io.raftx.transport.ForwardResult;
import java.util.concurrent.CompletionException;

/** Maps a forwarded request's failure on the leader to the answer the follower receives. */
final class Forwarding {

    private Forwarding() {
    }

    /** The node a request was forwarded to is not the leader (any more). */
    static final class NotLeader extends NotAppliedException {
        final String leaderHint;

        NotLeader(String leaderHint, String self) {
            super("node " + self + " is not the leader" + (leaderHint != null ? "; the leader is " + leaderHint : ""));
            this.leaderHint = leaderHint;
        }
    }

    static ForwardResult toResult(Throwable err, NodeStatus status) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String hint = status != null ? status.leaderId() : null;
        if (cause instanceof NotLeader nl) {
            return ForwardResult.failed(nl.leaderHint != null ? ForwardResult.Status.NOT_LEADER
                    : ForwardResult.Status.NO_LEADER, nl.leaderHint, cause.getMessage());
        }
        if (cause instanceof NoLeaderException) {
            return ForwardResult.failed(ForwardResult.Status.NO_LEADER, hint, cause.getMessage());
        }
        if (cause instanceof ShutdownException) {
            return ForwardResult.failed(ForwardResult.Status.SHUTDOWN, hint, cause.getMessage());
        }
        if (cause instanceof RaftException re && re.definitelyNotApplied()) {
            return ForwardResult.failed(ForwardResult.Status.NOT_APPLIED, hint, cause.getMessage());
        }
        return ForwardResult.failed(ForwardResult.Status.UNKNOWN, hint, String.valueOf(cause.getMessage()));
    }
}
