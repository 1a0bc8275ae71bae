package io.raftx.node;

import java.util.Set;

/**
 * An optional capability of a {@link LoopExtension} that keeps state of its own replicated among the voters (the
 * volatile keyspace does): the leader asks it before proposing a membership change that changes the voters, and
 * holds the change while it gives a reason, retrying every tick until the request's deadline. Called on the loop
 * thread, on the Raft leader of {@code term}; must not block.
 */
public interface MembershipGate {

    /** Null if Raft may move from {@code currentVoters} to {@code nextVoters} now; else why it must wait. */
    String holdVoterChange(long term, Set<String> currentVoters, Set<String> nextVoters);
}
