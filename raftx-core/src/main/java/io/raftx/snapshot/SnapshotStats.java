package io.raftx.snapshot;

import io.raftx.raft.SnapshotMeta;

/**
 * A node's snapshot activity since it started.
 *
 * @param latest          the latest snapshot (taken or installed), or null
 * @param firstLogIndex   first index still in the in-memory log (entries before it were compacted)
 * @param taken           snapshots this node took
 * @param installed       snapshots this node installed from a leader
 * @param sent            snapshot transfers to followers that completed
 * @param failedTransfers snapshot transfers to followers that failed (each is retried)
 * @param threshold       the log size above which the next snapshot is taken (dynamic, see {@link SnapshotPolicy})
 */
public record SnapshotStats(SnapshotMeta latest, long firstLogIndex, long taken, long installed, long sent,
                            long failedTransfers, long threshold) { }
