package io.raftx.spring.event;

/**
 * A lock this instance held was lost before it was released: its lease ran out (a pause or a partition kept the
 * renewals from getting through) or the lock key was taken over. Whatever the holder does from now on under that
 * lock is unprotected; a resource that checks fencing tokens refuses it.
 */
public class RaftxLockLostEvent extends RaftxEvent {

    private final String lockName;
    private final long fencingToken;
    private final String reason;

    public RaftxLockLostEvent(Object source, String nodeId, String lockName, long fencingToken, String reason) {
        super(source, nodeId);
        this.lockName = lockName;
        this.fencingToken = fencingToken;
        this.reason = reason;
    }

    public String getLockName() {
        return lockName;
    }

    public long getFencingToken() {
        return fencingToken;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "RaftxLockLostEvent{" + lockName + " token=" + fencingToken + ": " + reason + "}";
    }
}
