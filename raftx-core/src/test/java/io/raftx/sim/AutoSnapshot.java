package io.raftx.sim;

/**
 * The runtime's snapshot policy in the simulator: once a node has applied {@code everyEntries} entries past its
 * latest snapshot, it snapshots its state machine at once and compacts its log, keeping {@code keep} entries before
 * the snapshot (so followers slightly behind still get entries, and the ones further behind get the snapshot).
 */
public record AutoSnapshot(int everyEntries, int keep) {

    public AutoSnapshot {
        if (everyEntries < 1 || keep < 0) {
            throw new IllegalArgumentException("need everyEntries >= 1 and keep >= 0, got " + everyEntries + "/" + keep);
        }
    }

    boolean due(long applied, long latestSnapshot) {
        return applied - latestSnapshot >= everyEntries;
    }
}
