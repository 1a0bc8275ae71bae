package io.raftx.spring.core;

/**
 * A write was proposed but its outcome was not learned in time (timeout, leader change, shutdown): it may still be
 * applied. Read the key to find out before retrying a non-idempotent change.
 */
public class RaftxUnknownOutcomeException extends RaftxException {

    public RaftxUnknownOutcomeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return false;
    }
}
