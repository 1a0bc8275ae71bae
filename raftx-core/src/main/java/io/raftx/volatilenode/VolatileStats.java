package io.raftx.volatilenode;

/**
 * A node's volatile keyspace at a glance (metrics, health, tests), published after every batch of work.
 *
 * @param synced            the node holds volatile memory: it synced with a leader since it started
 * @param historyEpoch      the epoch it last synced with (0: none since it started)
 * @param activeLeader      it leads and has recovered: it takes volatile writes
 * @param appliedIndex      the last volatile op applied here
 * @param size              number of volatile keys here
 * @param opsApplied        ops applied since start (not counting those a snapshot brought)
 * @param snapshotsInstalled in-memory snapshots taken over since start (catch-up beyond the ring buffer)
 * @param rollbacks         times applied state was rolled back (only after a majority lost its memory at once)
 * @param malformedFrames   frames dropped because they did not decode or did not come from their sender
 * @param requestsInFlight  client requests of this node not yet completed
 */
public record VolatileStats(boolean synced, long historyEpoch, boolean activeLeader, long appliedIndex, int size,
                            long opsApplied, long snapshotsInstalled, long rollbacks, long malformedFrames,
                            int requestsInFlight) {

    static final VolatileStats NOT_STARTED = new VolatileStats(false, 0, false, 0, 0, 0, 0, 0, 0, 0);
}
