package io.raftx.spring.core;

import org.springframework.dao.TransientDataAccessException;

/** The request was certainly not applied (lost leadership, back-pressure); retrying is safe. */
public class RaftxNotAppliedException extends TransientDataAccessException implements RaftxException {

    public RaftxNotAppliedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
