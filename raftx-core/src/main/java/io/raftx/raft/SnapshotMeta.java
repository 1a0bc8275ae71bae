package io.raftx.raft;

import java.util.Objects;

/** Describes a state-machine snapshot: the last log entry it includes and the membership as of that entry. */
public record SnapshotMeta(long index, long term, Membership membership) {

    public SnapshotMeta {
        Objects.requireNonNull(membership, "membership");
        if (index < 1 || term < 1) {
            throw new IllegalArgumentException("snapshot index and term start at 1, got index=" + index + " term=" + term);
        }
    }
}
