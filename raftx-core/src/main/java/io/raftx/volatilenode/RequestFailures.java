package io.raftx.volatilenode;

import io.raftx.node.NoLeaderException;
import io.raftx.node.NotAppliedException;
import io.raftx.node.RaftException;
import io.raftx.node.UnknownOutcomeException;
import io.raftx.volatiles.Admission;
import io.raftx.volatiles.WriteOutcome;

/** Maps what the volatile core reports to the client exceptions of {@link io.raftx.node}, with clear messages. */
final class RequestFailures {

    private RequestFailures() {
    }

    /** Refusals that may clear up by themselves (a leader is being elected or is recovering): retried. */
    static boolean isTransient(Admission.Refusal refusal) {
        return refusal != Admission.Refusal.TOO_MANY_PENDING;
    }

    static String describe(Admission.Refusal refusal, String leaderHint) {
        return refusal.description() + (leaderHint != null ? " (leader: " + leaderHint + ")" : "");
    }

    /** A refusal is definite: the request was not applied. */
    static RaftException refused(ClientRequest r, Admission.Refusal refusal, String leaderHint) {
        String message = r.describe() + " refused: " + describe(refusal, leaderHint);
        return refusal == Admission.Refusal.TOO_MANY_PENDING ? new NotAppliedException(message)
                : new NoLeaderException(message);
    }

    /** The leader accepted the write but could not tell its fate. */
    static RaftException unknown(ClientRequest r, WriteOutcome.Status status) {
        String why = status == WriteOutcome.Status.UNKNOWN_LEADERSHIP_LOST
                ? "the leader stopped leading before it committed" : "it did not commit within the leader's timeout";
        return new UnknownOutcomeException(r.describe() + " has an unknown outcome: " + why
                + "; a later leader may still apply it");
    }

    /** The request's deadline passed. */
    static RaftException timedOut(ClientRequest r) {
        if (r.mayBeApplied) {
            return new UnknownOutcomeException(r.describe() + " timed out waiting for the leader's answer; it may or"
                    + " may not be applied");
        }
        return new NoLeaderException(r.describe() + " timed out: " + r.lastProblem);
    }

    static RaftException stopped(ClientRequest r, String nodeId) {
        if (r.mayBeApplied) {
            return new UnknownOutcomeException("node " + nodeId + " stopped before the outcome of " + r.describe()
                    + " was known");
        }
        return new io.raftx.node.ShutdownException("node " + nodeId + " stopped before " + r.describe() + " was sent");
    }
}
