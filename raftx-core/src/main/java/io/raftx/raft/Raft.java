package io.raftx.raft;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a deterministic state machine: feed it {@link #tick()}, {@link #step(Message)} and
 * {@link #propose(long, byte[])}; collect the work it asks for with {@link #ready()} and confirm it with
 * {@link #advance(Ready)}. No threads, clocks, sockets or disk in here: the runtime and the simulator provide them.
 *
 * <p>This class holds the node's term, vote and role. Messages are routed by {@link MessageRouter} (Raft's term
 * rules, then by type); elections are decided by {@link Election}; what a leader holds for its term (timers, what
 * it accepts) by {@link Leadership}, its replication and follower tracking by {@link Replicator}; a follower's
 * handling of appends and snapshots by {@link FollowerReplication}; the log and its persisted/committed/applied
 * positions by {@link RaftLog}; and the Ready/advance hand-off to the runtime by {@link ReadyAssembler}.
 */
public final class Raft {

    private final RaftConfig config;
    private final RaftLog log;
    private final Outbox outbox = new Outbox();
    private final ProposalTracker proposals = new ProposalTracker();
    private final Election election;
    private final MessageRouter router;
    private final RaftSnapshots snapshots;

    private long term;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    private String leaderId;
    /** Present exactly while this node leads. */
    private Leadership leadership;

    private final ReadyAssembler readies;

    /** A core that keeps its whole log in memory (until snapshots compact it). */
    public Raft(RaftConfig config, RestoredState restored, RandomGenerator random) {
        this(config, restored, random, null, 0);
    }

    /**
     * A core that keeps only its last {@code recentEntries} applied and durable entries in memory and reads older
     * ones back from {@code durable} (the runtime's log, which must hold every entry the core was told is persisted
     * until the core compacts it).
     */
    public Raft(RaftConfig config, RestoredState restored, RandomGenerator random, DurableEntries durable,
                int recentEntries) {
        this.config = Objects.requireNonNull(config, "config");
        HardState hs = restored.hardState();
        this.log = new RaftLog(restored, Membership.ofVoters(config.voters()), durable, recentEntries);
        this.term = hs.term();
        this.votedFor = hs.votedFor();
        this.readies = new ReadyAssembler(log, outbox, proposals, hs);
        this.election = new Election(config, this, random);
        this.snapshots = new RaftSnapshots(this, log);
        this.router = new MessageRouter(this, election, new FollowerReplication(config.id(), log, outbox), readies,
                outbox);
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

    /** The latest snapshot this node knows of, or null. */
    public SnapshotMeta latestSnapshot() {
        return log.snapshot();
    }

    /** Recording snapshots, compacting the log, and reports on snapshots streamed to followers. */
    public RaftSnapshots snapshots() {
        return snapshots;
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

    /** One tick of logical time. */
    public void tick() {
        tick(true);
    }

    /**
     * A tick the runtime delivers late: due a while ago, its process or loop was paused (a GC pause, a starved
     * machine), and messages that arrived meanwhile may still be behind it. It counts for every timer, but not as
     * silence from the leader ({@code LeaderSilence}), which a pause of our own would otherwise fake, nor as the end
     * of a leader's CheckQuorum window ({@code Leadership#tick}), for the same reason.
     */
    public void tickLate() {
        tick(false);
    }

    private void tick(boolean onTime) {
        if (role != Role.LEADER) {
            election.tick(onTime);
            answerHeldPreVote();
            return;
        }
        election.tickWhileLeading();
        if (!leadership.tick(onTime)) { // CheckQuorum: no active majority
            becomeFollower(term, null);
            election.resetTimer(false);
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
            answerHeldPreVote();
        }
    }

    /**
     * After {@link #peerUnreachable}, the runtime's new connection to {@code peer} was refused: no process listens at
     * its address. If {@code peer} is the leader this follower follows and that leader serves no lease reads, the
     * follower's promise to it ends now (the best-ranked follower pre-votes at once, the others a rank gap per rank
     * later); to a leasing leader the promise lasts as after any report. Safe to call wrongly, like {@link #peerUnreachable}.
     */
    public void peerDown(String peer) {
        if (peer.equals(leaderId)) {
            election.leaderDown();
            answerHeldPreVote(); // first: a pre-vote granted to a better successor defers our own
            election.startEarlyIfDue();
        }
    }

    /**
     * Ticks without a message after which this node, as a follower, reports its leader silent and starts an early
     * pre-vote if it ranks first (learnt from the leader's recent gaps, {@code LeaderSilence}); 0 when turned off.
     */
    public int silenceThresholdTicks() {
        return election.silenceThresholdTicks();
    }

    /** Answers the pre-vote held while keeping the promise to the leader, if the promise has ended. */
    void answerHeldPreVote() {
        Message held = election.releaseHeldPreVote();
        if (held != null) {
            step(held);
        }
    }

    /**
     * Appends {@code data} if this node leads. The entry goes to followers with the next {@link #ready()}, batched
     * with every other proposal made since. Its outcome arrives in a later Ready under {@code proposalId}.
     */
    public ProposeResult propose(long proposalId, byte[] data) {
        return role != Role.LEADER ? ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, leaderId)
                : leadership.propose(proposalId, data);
    }

    /**
     * Proposes a single-node membership change. It takes effect on this leader as soon as it is appended and on
     * each follower as soon as that follower appends it. Refused while another change is uncommitted, and until this
     * leader has committed an entry of its own term (the single-server change rule, Raft thesis §4.1 and its
     * erratum). Throws IllegalArgumentException for a change that does not fit the current membership.
     */
    public ProposeResult proposeConfigChange(long proposalId, ConfigChange change) {
        return role != Role.LEADER ? ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, leaderId)
                : leadership.proposeConfigChange(proposalId, membership(), change);
    }

    /**
     * Entries {@code id} lacks compared with this leader's log; -1 if this node does not lead, does not know it, or
     * it has not acknowledged the latest configuration yet.
     */
    public long followerLag(String id) {
        return role == Role.LEADER ? leadership.replicator().lag(id) : -1;
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
        leadership.readIndex(requestId);
        return true;
    }

    /**
     * True if this leader may serve reads from its own state without a round trip: lease reads are configured, a
     * majority answered a recent heartbeat round and no transfer is under way. The rule and what it assumes (bounded
     * clock drift, CheckQuorum, a promise shortened by {@link #peerUnreachable}) are on {@code Leadership#leaseHolds}.
     */
    public boolean leaseValid() {
        return role == Role.LEADER && leadership.leaseHolds();
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
        leadership.replicator().transferTo(target);
    }

    /** The node leadership is being handed to, or null. */
    public String transferTarget() {
        return role == Role.LEADER ? leadership.replicator().transferee() : null;
    }

    /** A message from a peer (ignored unless addressed to this node). */
    public void step(Message m) {
        router.step(m);
    }

    /** Present exactly while this node leads. */
    Leadership leadership() {
        return leadership;
    }

    // ---- role changes (called by this class, Election and MessageRouter) ----

    /** Leaving the leader role: reads not yet confirmed can no longer be. */
    private void stopLeading() {
        if (leadership != null) {
            readies.addReads(leadership.stop());
            leadership = null;
        }
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

    /** {@code votersLastEntries}: where the logs of the voters that granted our election end (may be partial). */
    void becomeLeader(Map<String, LastEntry> votersLastEntries) {
        role = Role.LEADER;
        leaderId = config.id();
        leadership = new Leadership(config, log, outbox, proposals, term, membership(), votersLastEntries);
    }

    void recordVoteFor(String candidate) {
        votedFor = candidate;
    }

    // ---- outputs ----

    public boolean hasReady() {
        return readies.hasWork(currentHardState())
                || (role == Role.LEADER && (ownRemovalCommitted() || leadership.hasWork()));
    }

    public Ready ready() {
        readies.requireAdvanced();
        if (role == Role.LEADER && ownRemovalCommitted()) {
            becomeFollower(term, null); // stop leading (Raft thesis §4.2.2)
            election.resetTimer(false);
        }
        if (role == Role.LEADER) {
            readies.addReads(leadership.flush());
        }
        return readies.assemble(currentHardState());
    }

    /** Confirms that everything the Ready asked for was done: state persisted, messages sent, entries applied. */
    public void advance(Ready ready) {
        if (readies.advance(ready) && role == Role.LEADER) {
            leadership.replicator().onLocalPersist();
        }
    }

    private boolean ownRemovalCommitted() {
        return !isVoter() && log.memberships().currentIndex() <= log.committed();
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
