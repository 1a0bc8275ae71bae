package io.raftx.spring.core;

import org.springframework.dao.DataAccessException;

/**
 * A write was proposed but its outcome was not learned in time (timeout, leader change, shutdown): it may still be
 * applied. Read the key to find out before retrying a non-idempotent change. Deliberately neither transient nor
 * non-transient for Spring's tooling: a blind retry may apply the write twice.
 */
public class RaftxUnknownOutcomeException extends DataAccessException implements RaftxException {

    public RaftxUnknownOutcomeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return false;
    }
}
