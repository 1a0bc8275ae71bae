package io.raftx.storage;

import io.raftx.raft.HardState;

import java.util.Objects;

/** A {@link HardStateStore} in memory, for tests and the simulator. */
public final class MemoryHardStateStore implements HardStateStore {

    private volatile HardState hardState = HardState.EMPTY;

    @Override
    public HardState load() {
        return hardState;
    }

    @Override
    public void save(HardState hardState) {
        this.hardState = Objects.requireNonNull(hardState, "hardState");
    }
}
