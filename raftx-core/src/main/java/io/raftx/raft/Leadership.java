package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a node holds only while it leads one term: the {@link Replicator}, the heartbeat and CheckQuorum timers, and
 * the rules for what a leader accepts (proposals, configuration changes, reads, a transfer). {@link Raft} creates one
 * when it becomes leader and drops it when it stops leading.
 */
final class Leadership {

    /**
     * Lease reads stop this many ticks before followers may vote again (after {@link RaftConfig#unreachableLeaderTicks()}
     * at the earliest): the allowance for clock drift.
     */
    static final int LEASE_MARGIN_TICKS = 2;

    private final RaftConfig config;
    private final RaftLog log;
    private final ProposalTracker proposals;
    private final long term;
    private final Replicator replicator;
    private int heartbeatElapsed;
    private int checkQuorumElapsed;
    /** ReadIndex requests that arrived before this leader committed an entry of its own term. */
    private final List<Long> readsAwaitingTermCommit = new ArrayList<>();

    /** Starts leading {@code term}: appends the term's no-op entry, which the first append carries to followers. */
    Leadership(RaftConfig config, RaftLog log, Outbox outbox, ProposalTracker proposals, long term,
               Membership membership, Map<String, LastEntry> votersLastEntries) {
        this.config = config;
        this.log = log;
        this.proposals = proposals;
        this.term = term;
        // Created before the no-op so followers' next index points at it.
        this.replicator = new Replicator(config, log, outbox, term, membership);
        replicator.replicateFromKnownEnds(votersLastEntries);
        log.append(term, EntryType.NOOP, null);
    }

    Replicator replicator() {
        return replicator;
    }

    /**
     * One tick of the leader's clocks. Returns false if CheckQuorum found no active majority: step down.
     *
     * <p>A late tick ({@link Raft#tickLate}) does not end a CheckQuorum window: after a pause of this process the
     * missed ticks run back to back, ahead of the followers' answers that arrived meanwhile, and judging the window
     * then would depose a leader its followers kept answering. The check waits for the next tick on time, which is
     * queued behind those answers, but at most one more election timeout. Deferring it costs only liveness (a
     * leader cut off from its followers leaves later): its lease is counted from heartbeat rounds, not from this
     * check, and the followers' own timers decide when they may elect another.
     */
    boolean tick(boolean onTime) {
        checkQuorumElapsed++;
        if (checkQuorumElapsed >= config.electionTicks()
                && (onTime || checkQuorumElapsed >= 2 * config.electionTicks())) {
            checkQuorumElapsed = 0;
            if (config.checkQuorum() && !replicator.quorumActive()) {
                return false;
            }
        }
        replicator.tick();
        if (++heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            replicator.broadcastHeartbeat();
        }
        return true;
    }

    /**
     * True if this leader may serve reads from its own state: lease reads are configured (its messages then ask
     * followers to keep their promise, {@link Message#noLease()}), a majority answered a heartbeat round sent less
     * than {@code unreachableLeaderTicks - 2} ticks ago, and no transfer is under way. Assumes tick rates differ by
     * less than the two-tick margin over that time (bounded clock drift), and relies on CheckQuorum (followers refuse
     * votes while they hear from a leader), so it is never valid without it. The lease is that short, not
     * {@code electionTicks - 2}, because a follower told the leader is unreachable ({@link Raft#peerUnreachable})
     * ends its promise after {@code unreachableLeaderTicks}: whether the report is right cannot be known here.
     */
    boolean leaseHolds() {
        return config.leaseReads() && config.checkQuorum() && committedInTerm()
                && replicator.leaseHolds(config.unreachableLeaderTicks() - LEASE_MARGIN_TICKS);
    }

    boolean committedInTerm() {
        return log.term(log.committed()) == term;
    }

    ProposeResult propose(long proposalId, byte[] data) {
        if (replicator.transferee() != null) {
            return refusedWhileTransferring();
        }
        if (log.lastIndex() - log.committed() >= config.maxUncommittedEntries()) {
            return ProposeResult.refused(ProposeResult.Refusal.DROPPED, config.id());
        }
        return appended(proposalId, log.append(term, EntryType.NORMAL, data));
    }

    ProposeResult proposeConfigChange(long proposalId, Membership current, ConfigChange change) {
        if (replicator.transferee() != null) {
            return refusedWhileTransferring();
        }
        if (!committedInTerm() || log.memberships().currentIndex() > log.committed()) {
            return ProposeResult.refused(ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS, config.id());
        }
        Membership next = current.apply(change);
        long index = log.append(term, EntryType.CONFIG, next.encode());
        replicator.setMembership(next);
        return appended(proposalId, index);
    }

    private ProposeResult refusedWhileTransferring() {
        return ProposeResult.refused(ProposeResult.Refusal.TRANSFERRING, replicator.transferee());
    }

    private ProposeResult appended(long proposalId, long index) {
        proposals.track(proposalId, index, term);
        return ProposeResult.appended(index, term);
    }

    void readIndex(long requestId) {
        if (committedInTerm()) {
            replicator.addRead(requestId);
        } else {
            readsAwaitingTermCommit.add(requestId); // our commit index is not known to be current yet
        }
    }

    /** Sends pending appends and starts waiting read rounds; returns the reads that became ready. */
    List<ReadState> flush() {
        if (committedInTerm()) {
            readsAwaitingTermCommit.forEach(replicator::addRead);
            readsAwaitingTermCommit.clear();
        }
        List<ReadState> ready = replicator.flushReads();
        replicator.flush();
        return ready;
    }

    /** True if {@link #flush} has something to do. */
    boolean hasWork() {
        return replicator.hasPendingSends()
                || committedInTerm() && (!readsAwaitingTermCommit.isEmpty() || replicator.hasWaitingReads());
    }

    /** Leaving the leader role: reads not yet confirmed can no longer be; returns them as failed. */
    List<ReadState> stop() {
        List<ReadState> failed = new ArrayList<>(replicator.failReads());
        readsAwaitingTermCommit.forEach(id -> failed.add(new ReadState(id, 0, false)));
        readsAwaitingTermCommit.clear();
        return failed;
    }
}
