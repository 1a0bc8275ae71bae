package io.raftx.sim;

import io.raftx.raft.Entry;
import io.raftx.raft.SnapshotMeta;
import java.util.Arrays;

/**
 * A snapshot of the simulated state machine. The state machine is reduced to a digest chained over every applied
 * entry, so two state machines agree exactly when they applied the same entries in the same order.
 */
public record SimSnapshot(SnapshotMeta meta, long digest) {

    /** The digest after applying {@code e} to a state with digest {@code previous}. */
    static long chain(long previous, Entry e) {
        long h = previous * 0x9E3779B97F4A7C15L + e.index();
        h = h * 31 + e.term();
        h = h * 31 + e.type().ordinal();
        return h * 31 + Arrays.hashCode(e.data());
    }

    public long index() {
        return meta.index();
    }
}
