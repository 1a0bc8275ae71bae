package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.raft.Raft;
import io.raftx.raft.Role;
import io.raftx.transport.PeerReachability;
import io.raftx.transport.Transport;

/**
 * What the transport knows about dead peers, fed to the core on the loop: a broken connection
 * ({@link Raft#peerUnreachable}) and a refused one ({@link Raft#peerDown}) let a dead leader's best-ranked follower
 * pre-vote early. Also asks the transport to check a leader that another node asks pre-votes against. Does nothing
 * with a transport that is not a {@link PeerReachability}.
 */
final class PeerReports {

    private final Raft raft;
    private final PeerReachability reachability;

    private PeerReports(Raft raft, PeerReachability reachability) {
        this.raft = raft;
        this.reachability = reachability;
    }

    /** Registers with the transport (before it starts); reports run on the loop through {@code inbox}. */
    static PeerReports wire(Transport transport, Raft raft, LoopInbox inbox) {
        if (!(transport instanceof PeerReachability reachability)) {
            return new PeerReports(raft, null);
        }
        reachability.onPeerUnreachable(peer -> inbox.addQuietly(() -> raft.peerUnreachable(peer)));
        reachability.onPeerDown(peer -> inbox.addQuietly(() -> raft.peerDown(peer)));
        return new PeerReports(raft, reachability);
    }

    /**
     * Loop thread, after the core stepped a PRE_VOTE: the peer asking believes our leader gone. Rather than wait for
     * our own connection to the leader to break (a busy or just-started JVM notices a closed connection a few hundred
     * milliseconds late), check the leader's address now; a refusal reports it down, and the core then answers the
     * pre-vote it held meanwhile.
     */
    void preVoteStepped(Message preVote) {
        String leader = raft.leaderId();
        if (reachability != null && raft.role() == Role.FOLLOWER && leader != null
                && !leader.equals(preVote.from())) {
            reachability.probe(leader);
        }
    }
}
