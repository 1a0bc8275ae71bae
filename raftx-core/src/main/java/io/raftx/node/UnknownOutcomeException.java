package io.raftx.node;

/**
 * The request was proposed but its outcome was not learned in time (timeout, leader change, shutdown): it may or
 * may not be applied. Retrying the same request id is safe: it is applied at most once.
 */
public class UnknownOutcomeException extends RaftException {

    public UnknownOutcomeException(String message) {
        super(message);
    }

    @Override
    public boolean definitelyNotApplied() {
        return false;
    }
}
