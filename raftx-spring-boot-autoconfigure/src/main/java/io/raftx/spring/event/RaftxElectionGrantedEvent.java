package io.raftx.spring.event;

/** This instance was elected leader of an application election ({@code opsForElection()}). */
public class RaftxElectionGrantedEvent extends RaftxEvent {

    private final String election;
    private final String candidate;
    private final long fencingToken;

    public RaftxElectionGrantedEvent(Object source, String nodeId, String election, String candidate,
                                     long fencingToken) {
        super(source, nodeId);
        this.election = election;
        this.candidate = candidate;
        this.fencingToken = fencingToken;
    }

    public String getElection() {
        return election;
    }

    public String getCandidate() {
        return candidate;
    }

    /** The token of this term of leadership: greater than every earlier term's. Pass it with the leader's writes. */
    public long getFencingToken() {
        return fencingToken;
    }

    @Override
    public String toString() {
        return "RaftxElectionGrantedEvent{" + election + " " + candidate + " token=" + fencingToken + "}";
    }
}
