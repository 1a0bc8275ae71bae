package io.raftx.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryRaftStorageTest extends RaftStorageContractTest {

    @Override
    protected RaftStorage create() {
        return new MemoryRaftStorage();
    }

    @Override
    protected RaftStorage reopen(RaftStorage old) {
        MemoryRaftStorage memory = (MemoryRaftStorage) old;
        memory.close();
        return new MemoryRaftStorage(memory.log(), memory.hardState());
    }

    @Test
    void aRestartedNodeSeesWhatItPersisted() {
        MemoryLogStore log = new MemoryLogStore();
        MemoryHardStateStore hs = new MemoryHardStateStore();
        new MemoryRaftStorage(log, hs).persist(new io.raftx.raft.HardState(1, "a", 0), run(1, 2, 1));
        RaftStorage restarted = new MemoryRaftStorage(log, hs);
        assertThat(restarted.recover().log()).isEqualTo(run(1, 2, 1));
        assertThat(restarted.log().entries(1, 2)).isEqualTo(List.copyOf(run(1, 2, 1)));
    }
}
