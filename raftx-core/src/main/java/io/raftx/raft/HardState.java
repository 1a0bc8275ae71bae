package io.raftx.raft;

/**
 * The state that must reach stable storage before any message produced in the same {@link Ready} is sent:
 * the current term, the vote cast in it ({@code null} for none) and the commit index.
 */
public record HardState(long term, String votedFor, long commit) {

    public static final HardState EMPTY = new HardState(0, null, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("term and commit must be >= 0, got term=" + term + " commit=" + commit);
        }
    }
}
