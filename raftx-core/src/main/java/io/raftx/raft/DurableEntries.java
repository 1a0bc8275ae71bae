package io.raftx.raft;

import java.util.List;

/**
 * The runtime's durable log, as far as the core reads it: entries the core no longer keeps in memory (they are
 * durable here and applied) are read back from it, e.g. for a follower that fell behind. Called on the thread that
 * drives the core, between its other calls.
 */
public interface DurableEntries {

    /**
     * The entries {@code [from, toInclusive]}, stopping before their total {@link Entry#sizeBytes()} would exceed
     * {@code maxBytes}; the first entry is always returned. The core asks only for entries that are durable and not
     * compacted away.
     */
    List<Entry> entries(long from, long toInclusive, long maxBytes);
}
