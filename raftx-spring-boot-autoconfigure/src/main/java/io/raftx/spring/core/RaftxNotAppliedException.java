package io.raftx.spring.core;

/** The request was certainly not applied (no leader, lost leadership, back-pressure); retrying is safe. */
public class RaftxNotAppliedException extends RaftxException {

    public RaftxNotAppliedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
