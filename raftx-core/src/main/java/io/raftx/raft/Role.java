package io.raftx.raft;

public enum Role {
    FOLLOWER,
    /** Asking for pre-votes: the term is not bumped until a majority says it would vote (Raft thesis §9.6). */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
