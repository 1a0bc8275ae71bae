package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a deterministic state machine: feed it {@link #tick()}, {@link #step(Message)} and
 * {@link #propose(long, byte[])}; collect the work it asks for with {@link #ready()} and confirm it with
 * {@link #advance(Ready)}. No threads, clocks, sockets or disk in here: the runtime and the simulator provide them.
 *
 * <p>This class holds the node's term, vote and role and routes messages. Elections are decided by
 * {@link Election}; the leader's replication and follower tracking live in {@link Replicator}; the log and its
 * persisted/committed/applied positions in {@link RaftLog}.
 */
public final class Raft {

    /**
     * Lease reads stop this many ticks before followers may vote again (after {@link RaftConfig#unreachableLeaderTicks()}
     * at the earliest): the allowance for clock drift.
     */
    static final int LEASE_MARGIN_TICKS = 2;

    private final RaftConfig config;
    private final RaftLog log;
    private final Outbox outbox = new Outbox();
    private final ProposalTracker proposals = new ProposalTracker();
    private final Election election;
    /** Bumped when the configuration in effect changes, so the leader's replicator can follow. */
    private Membership appliedToReplicator;

    private long term;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    private String leaderId;
    private Replicator replicator;
    private int heartbeatElapsed;
    private int checkQuorumElapsed;

    private final List<ReadState> readStates = new ArrayList<>();
    /** ReadIndex requests that arrived before this leader committed an entry of its own term. */
    private final List<Long> readsAwaitingTermCommit = new ArrayList<>();
    private HardState persistedHardState;
    /** A snapshot from the leader that replaced our log; the runtime installs it with the next Ready. */
    private SnapshotMeta snapshotToInstall;
    private boolean readyOutstanding;

    public Raft(RaftConfig config, RestoredState restored, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        HardState hs = restored.hardState();
        this.log = new RaftLog(restored, Membership.ofVoters(config.voters()));
        this.term = hs.term();
        this.votedFor = hs.votedFor();
        this.persistedHardState = hs;
        this.election = new Election(config, this, random);
    }

    // ---- queries ----

    public String id() {
        return config.id();
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    /** The leader of the current term as far as this node knows, or null. */
    public String leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long appliedIndex() {
        return log.applied();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The entry at {@code index}, or null if this node's log does not hold it. */
    public Entry entry(long index) {
        return log.entry(index);
    }

    /** Entries in [max(from, first index), to] — entries covered by a snapshot are no longer in the log. */
    public List<Entry> entries(long fromInclusive, long toInclusive) {
        return log.slice(Math.max(fromInclusive, log.firstIndex()), toInclusive, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** First index still in the log (1 until a snapshot compacted a prefix). */
    public long firstIndex() {
        return log.firstIndex();
    }

    // ---- snapshots ----

    /**
     * The metadata a snapshot of the state at {@code index} (at most the applied index) carries, to write with its
     * data before the snapshot is recorded with {@link #snapshotTaken}.
     */
    public SnapshotMeta snapshotMeta(long index) {
        if (index < log.firstIndex() - 1 || index > log.applied()) {
            throw new IllegalArgumentException("snapshot index " + index + " must be between " + (log.firstIndex() - 1)
                    + " and the applied index " + log.applied());
        }
        return new SnapshotMeta(index, log.term(index), log.memberships().at(index));
    }

    /**
     * The state machine saved a snapshot at {@code index} (at most the applied index). Returns its metadata; the
     * leader sends this snapshot to followers that need compacted entries.
     */
    public SnapshotMeta snapshotTaken(long index) {
        SnapshotMeta meta = snapshotMeta(index);
        log.snapshotTaken(meta);
        return meta;
    }

    /** Drops log entries up to {@code upTo}, which must be covered by a snapshot taken before. */
    public void compactLog(long upTo) {
        log.compact(upTo);
    }

    /** The runtime could not stream the snapshot to {@code follower}; it will be retried. */
    public void reportSnapshotFailure(String follower) {
        if (role == Role.LEADER) {
            replicator.snapshotFailed(follower);
        }
    }

    /**
     * The runtime finished streaming the snapshot to {@code follower}. The leader then probes right after the
     * snapshot, so a lost acknowledgement (or a follower that crashed while installing) cannot stall replication.
     */
    public void reportSnapshotSent(String follower) {
        if (role == Role.LEADER) {
            replicator.snapshotSent(follower);
        }
    }

    /** The latest snapshot this node knows of, or null. */
    public SnapshotMeta latestSnapshot() {
        return log.snapshot();
    }

    /** Voting members in effect (the latest configuration entry, even if uncommitted), sorted. */
    public List<String> voters() {
        return membership().voters().stream().sorted().toList();
    }

    public Membership membership() {
        return log.memberships().current();
    }

    /** This node's succession rank: from the last leader, or by node id before any leader ranked it. */
    public int rank() {
        return election.rank();
    }

    String votedFor() {
        return votedFor;
    }

    boolean isVoter() {
        return membership().isVoter(config.id());
    }

    /**
     * May start elections: a voter of the latest configuration, or of the committed one while a change removing
     * us is not committed yet — the cluster may still need us to elect a leader (Raft thesis §4.1).
     */
    boolean mayCampaign() {
        return isVoter() || log.memberships().at(log.committed()).isVoter(config.id());
    }

    RaftLog log() {
        return log;
    }

    Outbox outbox() {
        return outbox;
    }

    // ---- inputs ----

    public void tick() {
        if (role != Role.LEADER) {
            election.tick();
            return;
        }
        if (++checkQuorumElapsed >= config.electionTicks()) {
            checkQuorumElapsed = 0;
            if (config.checkQuorum() && !replicator.quorumActive()) {
                becomeFollower(term, null);
                election.resetTimer(false);
                return;
            }
        }
        replicator.tick();
        if (++heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            replicator.broadcastHeartbeat();
        }
    }

    /**
     * Starts an election now instead of waiting for the timer (with a pre-vote round if configured). Does nothing
     * while this node hears from a live leader (CheckQuorum lease): forcing it would break leader leases.
     */
    public void campaign() {
        if (role != Role.LEADER && mayCampaign() && !election.inLeaderLease()) {
            election.campaign(config.preVote());
        }
    }

    /**
     * The runtime's transport saw its connection to {@code peer} refused or reset (a killed process closes its
     * sockets). If {@code peer} is the leader this follower follows, the follower keeps its promise to it for only
     * {@link RaftConfig#unreachableLeaderTicks()} after last hearing from it and, as the best-ranked follower, starts
     * its pre-vote that much sooner; hearing from the leader again cancels the report. Safe to call for any peer at
     * any time, wrongly too: a majority that still hears from the leader ignores the pre-vote, and nothing happens
     * unless PreVote and CheckQuorum are both on.
     */
    public void peerUnreachable(String peer) {
        if (peer.equals(leaderId)) {
            election.leaderUnreachable();
        }
    }

    /**
     * Appends {@code data} if this node leads. The entry goes to followers with the next {@link #ready()}, batched
     * with every other proposal made since. Its outcome arrives in a later Ready under {@code proposalId}.
     */
    public ProposeResult propose(long proposalId, byte[] data) {
        if (role != Role.LEADER) {
            return ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, leaderId);
        }
        if (replicator.transferee() != null) {
            return ProposeResult.refused(ProposeResult.Refusal.TRANSFERRING, replicator.transferee());
        }
        if (log.lastIndex() - log.committed() >= config.maxUncommittedEntries()) {
            return ProposeResult.refused(ProposeResult.Refusal.DROPPED, leaderId);
        }
        long index = log.append(term, EntryType.NORMAL, data);
        proposals.track(proposalId, index, term);
        return ProposeResult.appended(index, term);
    }

    /**
     * Proposes a single-node membership change. It takes effect on this leader as soon as it is appended and on
     * each follower as soon as that follower appends it. Refused while another change is uncommitted, and until this
     * leader has committed an entry of its own term (the single-server change rule, Raft thesis §4.1 and its
     * erratum). Throws IllegalArgumentException for a change that does not fit the current membership.
     */
    public ProposeResult proposeConfigChange(long proposalId, ConfigChange change) {
        if (role != Role.LEADER) {
            return ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, leaderId);
        }
        if (replicator.transferee() != null) {
            return ProposeResult.refused(ProposeResult.Refusal.TRANSFERRING, replicator.transferee());
        }
        if (!committedInCurrentTerm() || log.memberships().currentIndex() > log.committed()) {
            return ProposeResult.refused(ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS, leaderId);
        }
        Membership next = membership().apply(change);
        long index = log.append(term, EntryType.CONFIG, next.encode());
        proposals.track(proposalId, index, term);
        replicator.setMembership(next);
        return ProposeResult.appended(index, term);
    }

    /**
     * Entries {@code id} lacks compared with this leader's log; -1 if this node does not lead, does not know it, or
     * it has not acknowledged the latest configuration yet.
     */
    public long followerLag(String id) {
        return role == Role.LEADER ? replicator.lag(id) : -1;
    }

    /**
     * Asks for a read index (ReadIndex, Raft thesis §6.4). Returns false if this node is not the leader. Otherwise
     * a {@link ReadState} for {@code requestId} follows in a later Ready, once a majority confirmed this node still
     * leads; reads from many callers share one heartbeat round.
     */
    public boolean readIndex(long requestId) {
        if (role != Role.LEADER) {
            return false;
        }
        if (committedInCurrentTerm()) {
            replicator.addRead(requestId);
        } else {
            readsAwaitingTermCommit.add(requestId); // our commit index is not known to be current yet
        }
        return true;
    }

    /**
     * True if this leader may serve reads from its own state without a round trip: lease reads are configured (its
     * messages then ask followers to keep their promise, {@link Message#noLease()}), a majority answered a heartbeat
     * round sent less than {@code unreachableLeaderTicks - 2} ticks ago, and no transfer is under way. Assumes tick
     * rates differ by less than the two-tick margin over that time (bounded clock drift), and relies on CheckQuorum
     * (followers refuse votes while they hear from a leader), so it is never valid without it. The lease is that
     * short, not {@code electionTicks - 2}, because a follower told the leader is unreachable
     * ({@link #peerUnreachable}) ends its promise after {@code unreachableLeaderTicks}: whether the report is right
     * cannot be known here.
     */
    public boolean leaseValid() {
        return config.leaseReads() && config.checkQuorum() && role == Role.LEADER && committedInCurrentTerm()
                && replicator.leaseHolds(config.unreachableLeaderTicks() - LEASE_MARGIN_TICKS);
    }

    /**
     * Hands leadership to {@code target}: proposals are refused while its log is caught up, then it is told to
     * campaign at once. If it has not taken over within an election timeout, this node resumes normally.
     */
    public void transferLeadership(String target) {
        if (role != Role.LEADER) {
            throw new IllegalStateException(id() + " is not the leader; ask the leader (" + leaderId + ")");
        }
        if (target.equals(id()) || !membership().isVoter(target)) {
            throw new IllegalArgumentException("cannot transfer leadership to " + target
                    + ": it must be a voting member other than " + id() + " (" + membership().describe() + ")");
        }
        replicator.transferTo(target);
    }

    /** The node leadership is being handed to, or null. */
    public String transferTarget() {
        return role == Role.LEADER ? replicator.transferee() : null;
    }

    private boolean committedInCurrentTerm() {
        return log.term(log.committed()) == term;
    }

    public void step(Message m) {
        if (!m.to().equals(config.id())) {
            return;
        }
        if (m.term() > term) {
            if (m.type().isVoteRequest() && m.context() != Message.TRANSFER_CAMPAIGN && election.inLeaderLease()) {
                return; // CheckQuorum: a live leader is not unseated by a node that merely lost touch with it
            }
            boolean futureTermOnly = m.type() == MessageType.PRE_VOTE
                    || (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject());
            if (!futureTermOnly) {
                boolean wasLeader = role == Role.LEADER;
                boolean fromLeader = m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT
                        || m.type() == MessageType.SNAPSHOT;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
                if (wasLeader) {
                    election.resetTimer(false); // a leader's timer was idle; a follower's keeps running (Figure 2)
                }
            }
        } else if (m.term() < term) {
            answerStale(m);
            return;
        }
        switch (m.type()) {
            case PRE_VOTE, VOTE -> election.onVoteRequest(m);
            case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> election.onVoteResponse(m);
            case APPEND -> {
                if (acceptLeader(m)) {
                    handleAppend(m);
                }
            }
            case HEARTBEAT -> {
                if (acceptLeader(m)) {
                    log.commitTo(Math.min(m.commit(), log.lastIndex()));
                    outbox.sendAfterPersist(Message.heartbeatResponse(id(), m.from(), term, m.context()));
                }
            }
            case SNAPSHOT -> {
                if (acceptLeader(m)) {
                    handleSnapshot(m);
                }
            }
            case TIMEOUT_NOW -> {
                if (role == Role.FOLLOWER && mayCampaign()) {
                    election.campaignForTransfer();
                }
            }
            case APPEND_RESPONSE -> {
                if (role == Role.LEADER) {
                    replicator.onAppendResponse(m);
                }
            }
            case HEARTBEAT_RESPONSE -> {
                if (role == Role.LEADER) {
                    readStates.addAll(replicator.onHeartbeatResponse(m.from(), m.context()));
                }
            }
        }
    }

    /** Tells a stale leader or pre-candidate our term, so it learns it is behind instead of retrying forever. */
    private void answerStale(Message m) {
        if (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT) {
            outbox.sendAfterPersist(Message.heartbeatResponse(id(), m.from(), term, 0));
        } else if (m.type() == MessageType.PRE_VOTE) {
            outbox.sendAfterPersist(Message.voteResponse(MessageType.PRE_VOTE_RESPONSE, id(), m.from(), term, true));
        }
    }

    /** A message from the leader of our current term. Returns false if it must be ignored. */
    private boolean acceptLeader(Message m) {
        if (role == Role.LEADER) {
            return false; // two leaders in one term cannot happen; never act on such a message
        }
        if (role != Role.FOLLOWER || leaderId == null) {
            becomeFollower(term, m.from());
        }
        election.heardFromLeader(m.rank(), m.noLease());
        return true;
    }

    private void handleAppend(Message m) {
        if (!isWellFormedAppend(m)) {
            return;
        }
        if (m.index() < log.committed()) {
            outbox.sendAfterPersist(Message.appendAccepted(id(), m.from(), term, log.committed()));
            return;
        }
        if (log.matches(m.index(), m.logTerm())) {
            long lastNew = log.appendFromLeader(m.index(), m.entries());
            log.commitTo(Math.min(m.commit(), lastNew));
            outbox.sendAfterPersist(Message.appendAccepted(id(), m.from(), term, lastNew));
            return;
        }
        boolean tooShort = m.index() > log.lastIndex();
        long hintTerm = tooShort ? 0 : log.term(m.index());
        long hintIndex = tooShort ? log.lastIndex() + 1 : log.firstIndexOfTermAt(m.index());
        outbox.sendAfterPersist(Message.appendRejected(id(), m.from(), term, m.index(), hintTerm, hintIndex));
    }

    private void handleSnapshot(Message m) {
        SnapshotMeta meta = m.snapshotMeta();
        if (meta.index() <= log.committed()) {
            outbox.sendAfterPersist(Message.appendAccepted(id(), m.from(), term, log.committed()));
            return;
        }
        if (log.matches(meta.index(), meta.term())) {
            // We already hold the snapshot's last entry, so everything up to it matches: just learn the commit.
            log.commitTo(meta.index());
        } else {
            log.restore(meta);
            snapshotToInstall = meta;
        }
        outbox.sendAfterPersist(Message.appendAccepted(id(), m.from(), term, meta.index()));
    }

    /** Entries must follow the previous index contiguously and not claim a term newer than the message's. */
    private static boolean isWellFormedAppend(Message m) {
        long expected = m.index() + 1;
        long prevTerm = m.logTerm();
        for (Entry e : m.entries()) {
            if (e.index() != expected++ || e.term() > m.term() || e.term() < prevTerm) {
                return false;
            }
            prevTerm = e.term();
        }
        return m.index() >= 0 && m.logTerm() <= m.term();
    }

    // ---- role changes (called by this class and Election) ----

    /** Leaving the leader role: reads not yet confirmed can no longer be. */
    private void stopLeading() {
        if (replicator != null) {
            readStates.addAll(replicator.failReads());
        }
        readsAwaitingTermCommit.forEach(id -> readStates.add(new ReadState(id, 0, false)));
        readsAwaitingTermCommit.clear();
        replicator = null;
    }

    void becomeFollower(long newTerm, String leader) {
        stopLeading();
        if (newTerm > term) {
            term = newTerm;
            votedFor = null;
        }
        role = Role.FOLLOWER;
        leaderId = leader;
        // No timer reset here: per Figure 2 only hearing from the leader or granting a vote restarts it. Resetting on
        // every higher term lets stale candidates that keep failing hold back the nodes that could win.
    }

    void becomePreCandidate() {
        stopLeading();
        role = Role.PRE_CANDIDATE;
        leaderId = null;
    }

    void becomeCandidate() {
        stopLeading();
        term++;
        votedFor = config.id();
        role = Role.CANDIDATE;
        leaderId = null;
    }

    void becomeLeader() {
        role = Role.LEADER;
        leaderId = config.id();
        heartbeatElapsed = 0;
        checkQuorumElapsed = 0;
        // Created before the no-op so followers' next index points at it and the first append carries it.
        replicator = new Replicator(config, log, outbox, term, membership());
        appliedToReplicator = membership();
        log.append(term, EntryType.NOOP, null);
    }

    void recordVoteFor(String candidate) {
        votedFor = candidate;
    }

    // ---- outputs ----

    public boolean hasReady() {
        return !outbox.isEmpty()
                || snapshotToInstall != null
                || !currentHardState().equals(persistedHardState)
                || log.hasUnpersisted()
                || log.committed() > log.applied() && log.persisted() > log.applied()
                || !readStates.isEmpty()
                || (role == Role.LEADER && !isVoter() && log.memberships().currentIndex() <= log.committed())
                || (role == Role.LEADER && (replicator.hasPendingSends() || hasReadsToStart()));
    }

    private boolean hasReadsToStart() {
        return committedInCurrentTerm() && (!readsAwaitingTermCommit.isEmpty() || replicator.hasWaitingReads());
    }

    public Ready ready() {
        if (readyOutstanding) {
            throw new IllegalStateException("advance(ready) must be called before asking for the next Ready");
        }
        if (role == Role.LEADER && !isVoter() && log.memberships().currentIndex() <= log.committed()) {
            becomeFollower(term, null); // our own removal is committed: stop leading (Raft thesis §4.2.2)
            election.resetTimer(false);
        }
        if (role == Role.LEADER) {
            if (committedInCurrentTerm()) {
                readsAwaitingTermCommit.forEach(replicator::addRead);
                readsAwaitingTermCommit.clear();
            }
            readStates.addAll(replicator.flushReads());
            replicator.flush();
        }
        HardState hs = currentHardState();
        HardState changed = hs.equals(persistedHardState) ? null : hs;
        List<Message> eager = outbox.drainEager();
        List<Message> afterPersist = outbox.drainAfterPersist();
        boolean termOrVoteChanged = changed != null && (changed.term() != persistedHardState.term()
                || !Objects.equals(changed.votedFor(), persistedHardState.votedFor()));
        if (termOrVoteChanged) {
            // A new term or vote must be durable before anything we say can be acted on.
            List<Message> all = new ArrayList<>(eager);
            all.addAll(afterPersist);
            afterPersist = all;
            eager = List.of();
        }
        List<Entry> committed = log.committedToApply();
        long appliedUpTo = committed.isEmpty() ? log.applied() : committed.get(committed.size() - 1).index();
        readyOutstanding = true;
        List<ReadState> reads = List.copyOf(readStates);
        readStates.clear();
        SnapshotMeta install = snapshotToInstall;
        snapshotToInstall = null;
        List<Entry> toPersist = log.takeUnpersisted();
        // Only entries, a term and a vote are promised to others; a commit index alone needs no fsync (etcd-raft's
        // MustSync): every Ready that has no entries and no new term or vote would otherwise cost one.
        // Except when it newly covers a configuration entry: a restarted node must know that its configuration (its
        // own removal, say) is committed, or it would campaign as if the change were still pending (thesis §4.1).
        boolean configCommitted = changed != null
                && log.memberships().anyIn(persistedHardState.commit(), changed.commit());
        boolean mustSync = termOrVoteChanged || !toPersist.isEmpty() || configCommitted;
        return new Ready(changed, install, toPersist, eager, afterPersist, committed,
                proposals.resolve(log, appliedUpTo), reads, mustSync);
    }

    /** Confirms that everything the Ready asked for was done: state persisted, messages sent, entries applied. */
    public void advance(Ready ready) {
        readyOutstanding = false;
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        if (!ready.entries().isEmpty()) {
            Entry last = ready.entries().get(ready.entries().size() - 1);
            log.persistedTo(last.index(), last.term());
            if (role == Role.LEADER) {
                replicator.onLocalPersist();
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).index());
        }
    }

    private HardState currentHardState() {
        return new HardState(term, votedFor, log.committed());
    }

    @Override
    public String toString() {
        return config.id() + "{" + role + " t" + term + " leader=" + leaderId + " last=" + log.lastIndex()
                + " commit=" + log.committed() + " applied=" + log.applied() + "}";
    }
}
