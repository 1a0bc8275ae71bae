package io.raftx.spring.core;

import org.springframework.dao.DataAccessException;

/**
 * The lock was lost while the work it protected ran (its lease ran out: a pause or a partition kept renewals from
 * getting through). The work did run, but possibly overlapping with another holder's; only resources that checked
 * the fencing token were protected. Deliberately not transient: blindly running the work again may repeat it.
 */
public class RaftxLockLostException extends DataAccessException implements RaftxException {

    public RaftxLockLostException(String message) {
        super(message);
    }

    @Override
    public boolean definitelyNotApplied() {
        return false;
    }
}
