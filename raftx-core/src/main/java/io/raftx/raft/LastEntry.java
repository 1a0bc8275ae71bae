package io.raftx.raft;

/** The last entry of a peer's log, as the peer reported it. */
record LastEntry(long index, long term) {
}
