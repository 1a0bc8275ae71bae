package io.raftx.spring.autoconfigure.coordination;

import io.raftx.spring.autoconfigure.RaftxNodeLifecycle;
import io.raftx.spring.core.DefaultRaftxElectionOperations;
import io.raftx.spring.core.DefaultRaftxLockOperations;
import org.springframework.context.SmartLifecycle;

/**
 * Leaves the elections and releases the locks of this instance when the context closes, while the node still runs
 * (its phase is after the node's, so it stops first): other instances take over at once instead of a lease later.
 */
class RaftxCoordinationLifecycle implements SmartLifecycle {

    private final DefaultRaftxLockOperations locks;
    private final DefaultRaftxElectionOperations elections;
    private volatile boolean running;

    RaftxCoordinationLifecycle(DefaultRaftxLockOperations locks, DefaultRaftxElectionOperations elections) {
        this.locks = locks;
        this.elections = elections;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        elections.leaveAll();
        locks.releaseAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return RaftxNodeLifecycle.PHASE + 1;
    }
}
