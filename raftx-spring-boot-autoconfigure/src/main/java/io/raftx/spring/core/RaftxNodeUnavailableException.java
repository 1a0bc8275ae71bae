package io.raftx.spring.core;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * The local node is not running (not started yet, or shutting down) and did not accept the request. Certainly not
 * applied; retry on another instance or later.
 */
public class RaftxNodeUnavailableException extends TransientDataAccessResourceException implements RaftxException {

    public RaftxNodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
