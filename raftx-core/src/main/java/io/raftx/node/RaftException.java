package io.raftx.node;

/**
 * Base of every error a RaftX client sees. {@link #definitelyNotApplied()} tells whether retrying can cause a
 * duplicate: when true the request was certainly not applied; when false its fate is unknown (a retry with the
 * same request id is still applied at most once).
 */
public abstract class RaftException extends RuntimeException {

    protected RaftException(String message) {
        super(message);
    }

    protected RaftException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean definitelyNotApplied();
}
