package io.raftx.node;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import io.raftx.storage.RaftStorage;
import java.util.ArrayList;
import java.util.List;

/** Test storage that survives a node's restart inside one JVM. */
final class MemoryRaftStorage implements RaftStorage {
    private final List<Entry> log = new ArrayList<>();
    private HardState hardState = HardState.EMPTY;

    @Override
    public synchronized RestoredState recover() {
        return new RestoredState(hardState, log, 0);
    }

    @Override
    public synchronized void persist(HardState hs, List<Entry> entries) {
        if (hs != null) {
            hardState = hs;
        }
        if (!entries.isEmpty()) {
            long first = entries.get(0).index();
            while (log.size() >= first) {
                log.remove(log.size() - 1);
            }
            log.addAll(entries);
        }
    }

    @Override
    public void close() {
    }
}
