package io.raftx.spring.core;

import io.raftx.kv.InvalidRequestException;
import io.raftx.node.NoLeaderException;
import io.raftx.node.NotAppliedException;
import io.raftx.node.RaftException;
import io.raftx.node.ShutdownException;
import io.raftx.node.UnknownOutcomeException;
import java.util.concurrent.CompletionException;
import org.springframework.dao.DataAccessException;
import java.util.concurrent.ExecutionException;

/** Turns the core's exceptions into the {@link RaftxException} hierarchy, naming the operation that failed. */
final class RaftxExceptionTranslator {

    private RaftxExceptionTranslator() {
    }

    /**
     * @param operation what was attempted, e.g. {@code "set 'ai.x'"}, used as the message prefix
     * @param write     whether the operation may change state: an unexpected failure of a write is reported as an
     *                  unknown outcome, of a read as not applied
     */
    static DataAccessException translate(String operation, Throwable failure, boolean write) {
        Throwable e = unwrap(failure);
        if (e instanceof RaftxException && e instanceof DataAccessException already) {
            return already;
        }
        String message = operation + " failed: " + e.getMessage();
        // InvalidRequestException is a NotAppliedException in the core; it must be matched first.
        if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException
                || e instanceof NullPointerException) {
            return new RaftxInvalidRequestException(message, e);
        }
        if (e instanceof NoLeaderException) {
            return new RaftxNoLeaderException(message, e);
        }
        if (e instanceof ShutdownException) {
            return new RaftxNodeUnavailableException(message, e);
        }
        if (e instanceof NotAppliedException) {
            return new RaftxNotAppliedException(message, e);
        }
        if (e instanceof UnknownOutcomeException) {
            return new RaftxUnknownOutcomeException(message, e);
        }
        if (e instanceof RaftException r) {
            return r.definitelyNotApplied() ? new RaftxNotAppliedException(message, e)
                    : new RaftxUnknownOutcomeException(message, e);
        }
        return write ? new RaftxUnknownOutcomeException(message, e) : new RaftxNotAppliedException(message, e);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
