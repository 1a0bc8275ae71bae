package io.raftx.storage;
import io.raftx.raft.*;
import java.util.List;
public interface RaftStorage extends AutoCloseable {
    RestoredState recover();
    void persist(HardState hardState, List<Entry> entries);
    @Override void close();
}
