package io.raftx.raft;

/**
 * Applies Raft's term rules to an incoming message (Figure 2), then hands it to the part of the core it is for. A
 * higher term makes this node a follower in it, except for a pre-vote (which promises nothing) and a vote request
 * that arrives while we keep our promise to a live leader (CheckQuorum: a node that merely lost touch with the leader
 * does not unseat it); a lower term is answered so that its sender learns it is behind.
 */
final class MessageRouter {

    private final Raft raft;
    private final Election election;
    private final FollowerReplication asFollower;
    private final ReadyAssembler readies;
    private final Outbox outbox;

    MessageRouter(Raft raft, Election election, FollowerReplication asFollower, ReadyAssembler readies,
                  Outbox outbox) {
        this.raft = raft;
        this.election = election;
        this.asFollower = asFollower;
        this.readies = readies;
        this.outbox = outbox;
    }

    void step(Message m) {
        if (!m.to().equals(raft.id())) {
            return;
        }
        if (m.term() > raft.term()) {
            if (m.type().isVoteRequest() && m.context() != Message.TRANSFER_CAMPAIGN && election.inLeaderLease()) {
                if (m.type() == MessageType.PRE_VOTE) {
                    election.holdPreVote(m);
                    raft.answerHeldPreVote(); // if holding it ended the promise
                }
                return; // CheckQuorum: a live leader is not unseated by a node that merely lost touch with it
            }
            boolean futureTermOnly = m.type() == MessageType.PRE_VOTE
                    || (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject());
            if (!futureTermOnly) {
                boolean wasLeader = raft.role() == Role.LEADER;
                boolean fromLeader = m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT
                        || m.type() == MessageType.SNAPSHOT;
                raft.becomeFollower(m.term(), fromLeader ? m.from() : null);
                if (wasLeader) {
                    election.resetTimer(false); // a leader's timer was idle; a follower's keeps running (Figure 2)
                }
            }
        } else if (m.term() < raft.term()) {
            answerStale(m);
            return;
        }
        switch (m.type()) {
            case PRE_VOTE, VOTE -> election.onVoteRequest(m);
            case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> election.onVoteResponse(m);
            case APPEND -> {
                if (acceptLeader(m)) {
                    asFollower.onAppend(m, raft.term());
                }
            }
            case HEARTBEAT -> {
                if (acceptLeader(m)) {
                    asFollower.onHeartbeat(m, raft.term());
                }
            }
            case SNAPSHOT -> {
                SnapshotMeta install = acceptLeader(m) ? asFollower.onSnapshot(m, raft.term()) : null;
                if (install != null) {
                    readies.install(install);
                }
            }
            case TIMEOUT_NOW -> {
                if (raft.role() == Role.FOLLOWER && raft.mayCampaign()) {
                    election.campaignForTransfer();
                }
            }
            case APPEND_RESPONSE -> {
                if (raft.role() == Role.LEADER) {
                    raft.leadership().replicator().onAppendResponse(m);
                }
            }
            case HEARTBEAT_RESPONSE -> {
                if (raft.role() == Role.LEADER) {
                    readies.addReads(raft.leadership().replicator().onHeartbeatResponse(m.from(), m.context()));
                }
            }
        }
    }

    /** Tells a stale leader or pre-candidate our term, so it learns it is behind instead of retrying forever. */
    private void answerStale(Message m) {
        if (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT) {
            outbox.sendAfterPersist(Message.heartbeatResponse(raft.id(), m.from(), raft.term(), 0));
        } else if (m.type() == MessageType.PRE_VOTE) {
            outbox.sendEager(Message.voteResponse(MessageType.PRE_VOTE_RESPONSE, raft.id(), m.from(), raft.term(),
                    true));
        }
    }

    /** A message from the leader of our current term. Returns false if it must be ignored. */
    private boolean acceptLeader(Message m) {
        if (raft.role() == Role.LEADER) {
            return false; // two leaders in one term cannot happen; never act on such a message
        }
        if (raft.role() != Role.FOLLOWER || raft.leaderId() == null) {
            raft.becomeFollower(raft.term(), m.from());
        }
        election.heardFromLeader(m.rank(), m.noLease());
        return true;
    }
}
