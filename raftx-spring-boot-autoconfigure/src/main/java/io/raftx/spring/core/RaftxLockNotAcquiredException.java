package io.raftx.spring.core;

import org.springframework.dao.CannotAcquireLockException;

/** Another instance held the lock for the whole wait. Nothing was acquired; try again later. */
public class RaftxLockNotAcquiredException extends CannotAcquireLockException implements RaftxException {

    public RaftxLockNotAcquiredException(String message) {
        super(message);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
