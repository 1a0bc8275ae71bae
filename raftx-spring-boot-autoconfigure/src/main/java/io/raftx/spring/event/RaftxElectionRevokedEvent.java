package io.raftx.spring.event;

/** This instance no longer leads an application election: it yielded, left, or its lease was lost. */
public class RaftxElectionRevokedEvent extends RaftxEvent {

    private final String election;
    private final String candidate;
    private final long fencingToken;
    private final String reason;

    public RaftxElectionRevokedEvent(Object source, String nodeId, String election, String candidate,
                                     long fencingToken, String reason) {
        super(source, nodeId);
        this.election = election;
        this.candidate = candidate;
        this.fencingToken = fencingToken;
        this.reason = reason;
    }

    public String getElection() {
        return election;
    }

    public String getCandidate() {
        return candidate;
    }

    /** The token of the term that ended. */
    public long getFencingToken() {
        return fencingToken;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "RaftxElectionRevokedEvent{" + election + " " + candidate + " token=" + fencingToken + ": " + reason
                + "}";
    }
}
