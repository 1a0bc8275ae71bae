package io.raftx.raft;

/**
 * The definite fate of a proposal the core accepted, reported through {@link Ready#outcomes()}.
 * A proposal whose fate the core cannot know (for example its node crashed) never gets an outcome; the
 * runtime times it out and reports it as unknown.
 */
public record ProposalOutcome(long proposalId, Status status, long index) {

    public enum Status {
        /** The entry at {@code index} is committed; it will be applied. */
        COMMITTED,
        /** Another leader's entry was committed at {@code index}: this proposal can never be applied. */
        TRUNCATED
    }
}
