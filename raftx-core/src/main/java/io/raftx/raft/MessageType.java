package io.raftx.raft;

public enum MessageType {
    APPEND,
    APPEND_RESPONSE,
    HEARTBEAT,
    HEARTBEAT_RESPONSE,
    PRE_VOTE,
    PRE_VOTE_RESPONSE,
    VOTE,
    VOTE_RESPONSE,
    TIMEOUT_NOW,
    /** Install a snapshot: the runtime streams the data; the core sees this once it has fully arrived. */
    SNAPSHOT;

    public boolean isVoteRequest() {
        return this == PRE_VOTE || this == VOTE;
    }

    public boolean isVoteResponse() {
        return this == PRE_VOTE_RESPONSE || this == VOTE_RESPONSE;
    }
}
