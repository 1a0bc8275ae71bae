package io.raftx.sim;

import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.ProposeResult;

/** One client proposal and everything learned about its fate. */
public final class Proposal {

    private final long id;
    private final byte[] data;
    private final String node;
    private final int incarnation;
    private final ProposeResult result;
    private ProposalOutcome.Status outcome;

    Proposal(long id, byte[] data, String node, int incarnation, ProposeResult result) {
        this.id = id;
        this.data = data;
        this.node = node;
        this.incarnation = incarnation;
        this.result = result;
    }

    public long id() {
        return id;
    }

    public byte[] data() {
        return data;
    }

    /** The node it was proposed to. */
    public String node() {
        return node;
    }

    public int incarnation() {
        return incarnation;
    }

    public ProposeResult result() {
        return result;
    }

    public boolean accepted() {
        return result.accepted();
    }

    public long index() {
        return result.index();
    }

    /** COMMITTED, TRUNCATED, or null while unknown (pending, refused, or its node crashed). */
    public ProposalOutcome.Status outcome() {
        return outcome;
    }

    public boolean isCommitted() {
        return outcome == ProposalOutcome.Status.COMMITTED;
    }

    void setOutcome(ProposalOutcome.Status outcome) {
        this.outcome = outcome;
    }

    @Override
    public String toString() {
        return "p" + id + "@" + node + (result.accepted() ? " idx=" + result.index() + " t" + result.term()
                : " " + result.refusal() + " hint=" + result.leaderHint()) + (outcome == null ? "" : " " + outcome);
    }
}
