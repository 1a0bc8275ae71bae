package io.raftx.spring.core;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * No leader was known within the request timeout: an election is running or no majority is reachable. Certainly
 * not applied; retry later.
 */
public class RaftxNoLeaderException extends TransientDataAccessResourceException implements RaftxException {

    public RaftxNoLeaderException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
