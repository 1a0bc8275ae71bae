package io.raftx.raft;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Decides elections: when this node's election timer fires, whether it grants a (pre)vote, and when a campaign is
 * won or lost.
 *
 * <p>Ranked succession (RaftX fast election): the leader tells each follower its rank (0 = most up-to-date). A
 * follower's timeout is {@code base + 1 + rank * gap + jitter}, so after a leader dies the best successor fires
 * first, alone, and wins in one round. The extra tick guarantees every other follower's pre-vote lease
 * ({@code base} ticks) has expired by then. A node that grants a (pre)vote to a better-ranked candidate restarts
 * its own timer instead of competing. A rank can be stale (the leader ranked its followers before their logs
 * diverged by the last few entries): a follower that refuses a pre-vote because the candidate's log is behind its own
 * campaigns soon instead of waiting for its later rank, at once if it is ranked right after the candidate, else a rank
 * gap per rank in between, so that of several followers ahead of the candidate the best-ranked goes first and the
 * others defer to it. None of this bypasses the majority rule or the up-to-date check.
 *
 * <p>Early start: when the leader is reported unreachable (by the runtime, its connection refused or reset, or by
 * this follower's own count of its silence, {@link LeaderSilence}), the follower's promise to it
 * ({@link LeaderPromise}) and its timer shorten alike, so the best-ranked follower pre-votes that much sooner. Only
 * with PreVote and CheckQuorum on: a wrong report then costs at most a pre-vote round that a majority still hearing
 * from the leader ignores, and as long as the leader's heartbeats arrive on time the reported follower never
 * campaigns. Voters that ignored an early pre-vote on a transport's report (still keeping their promise: their own
 * report may come a moment later) are asked again every heartbeat interval until the timer runs out.
 */
final class Election {

    private final RaftConfig config;
    private final Raft raft;
    private final RandomGenerator random;
    private final Map<String, Boolean> votes = new HashMap<>();
    /** Where the logs of the voters that granted this (real) election end, for the leader we may become. */
    private final Map<String, LastEntry> votersLastEntries = new HashMap<>();
    /** Ticks since the timer was last reset (heard from the leader, granted a vote, started a campaign). */
    private int elapsed;
    private int timeout;
    /** Our succession rank from the current leader's last message, or NO_RANK before any leader ranked us. */
    private int rank = Message.NO_RANK;
    /** Kept apart from the timer because deferring to a candidate restarts the timer but must not renew the promise. */
    private final LeaderPromise promise;
    /** This pre-vote round was an early start on a transport's report: voters that ignored it are asked again. */
    private boolean earlyPreVote;
    /**
     * Since we last heard from a leader or campaigned, we granted a vote, or a pre-vote to a better successor (better
     * ranked, or with entries we lack), and deferred to it: that candidate's log is at least as up to date as ours.
     */
    private boolean deferred;

    Election(RaftConfig config, Raft raft, RandomGenerator random) {
        this.config = config;
        this.raft = raft;
        this.random = random;
        this.promise = new LeaderPromise(config);
        resetTimer(false);
    }

    int rank() {
        return rank != Message.NO_RANK ? rank : coldStartRank();
    }

    /** With no leader's ranking yet, rank by position in the sorted voter list. */
    private int coldStartRank() {
        List<String> sorted = raft.voters().stream().sorted().toList();
        int i = sorted.indexOf(config.id());
        return i < 0 ? sorted.size() : i;
    }

    /**
     * A message from the current leader: restart the timer with the rank it gave us. The timeout is recomputed only
     * when the rank changed, so the jitter stays put between heartbeats.
     */
    void heardFromLeader(int newRank, boolean noLease) {
        promise.renew(raft.term(), noLease);
        elapsed = 0;
        earlyPreVote = false;
        deferred = false;
        if (newRank != Message.NO_RANK && newRank != rank) {
            rank = newRank;
            resetTimer(false);
        }
    }

    /**
     * Restarts the election timer. After a failed campaign the spread widens to a whole election timeout so that
     * candidates that collided do not collide again.
     */
    void resetTimer(boolean afterFailedCampaign) {
        elapsed = 0;
        int spread = afterFailedCampaign ? config.electionTicks() : config.jitterTicks();
        timeout = config.electionTicks() + 1 + rank() * config.rankGapTicks() + random.nextInt(spread + 1);
    }

    /** Heard from a leader recently: CheckQuorum's lease, during which we refuse to help unseat it. */
    boolean inLeaderLease() {
        if (!config.checkQuorum()) {
            return false;
        }
        // A leader running CheckQuorum steps down by itself once it loses its majority.
        return raft.role() == Role.LEADER || (raft.leaderId() != null && promise.stands());
    }

    /**
     * The runtime reports our leader unreachable. Ignored unless PreVote and CheckQuorum are both on (without them an
     * early start could unseat a live leader or void its lease) and we follow a known leader.
     *
     * <p>On the first report the timer counts as if the leader's last heartbeat had just arrived (at most one
     * heartbeat interval old), so that the ranks start a rank gap apart from the report. A follower whose timer had
     * run on (a loaded follower that processed nothing from the live leader for several hundred milliseconds, seen
     * at seven and nine node processes) would otherwise start at once, ranks 0 to 3 together, and flood the
     * pre-vote. Only the timer moves: the promise to the leader ({@link LeaderPromise}) does not.
     */
    void leaderUnreachable() {
        if (reportsCount() && promise.report(true)) {
            elapsed = Math.min(elapsed, config.heartbeatTicks());
        }
    }

    /** Ticks without a message after which our leader counts as silent (0 when off). */
    int silenceThresholdTicks() {
        return promise.silenceThresholdTicks();
    }

    private boolean reportsCount() {
        return config.preVote() && config.checkQuorum() && raft.role() == Role.FOLLOWER && raft.leaderId() != null;
    }

    /**
     * Nothing from our leader for longer than its messages were lately apart ({@link LeaderSilence}): what a killed,
     * paused or cut-off leader looks like before (or without) its connection breaking. We report it ourselves; a
     * wrong guess costs what a wrong report costs. The timer is set back so that the best-ranked follower pre-votes
     * at once and the others a rank gap per rank after their own report: thresholds differ between followers (each
     * learnt its own gaps), and past a few ticks every rank's shortened timer would have run out together.
     */
    private void leaderSilent() {
        if (reportsCount()) {
            promise.report(false);
            elapsed = Math.min(elapsed, earlyStartTicks() - rank() * config.rankGapTicks());
        }
    }

    /** Further, a new connection to our leader's address was refused ({@link LeaderPromise#reportDown}). */
    void leaderDown() {
        leaderUnreachable();
        promise.reportDown();
    }

    /**
     * After {@link #leaderDown} and after answering the pre-vote held meanwhile (granting one from a better successor
     * defers us): start the early pre-vote now if it is due, rather than at the next tick.
     */
    void startEarlyIfDue() {
        if (raft.mayCampaign() && earlyStartDue()) {
            startEarly();
        }
    }

    /**
     * A pre-vote that arrived while we keep our promise to the leader ({@link LeaderPromise#holdPreVote}); if this
     * follower just started and heard nothing for a while either, it reports the leader silent on the candidate's
     * word ({@link LeaderPromise#takesTheCandidatesWord}), which may end the promise at once.
     */
    void holdPreVote(Message m) {
        promise.holdPreVote(m);
        if (reportsCount() && promise.takesTheCandidatesWord()) {
            leaderSilent();
        }
    }

    /** The held pre-vote if our promise has ended (it is then forgotten), else null. */
    Message releaseHeldPreVote() {
        return inLeaderLease() ? null : promise.takeHeldPreVote();
    }

    /** A tick on the leader. */
    void tickWhileLeading() {
        promise.tickWhileLeading();
    }

    /** A tick on a follower or (pre-)candidate; {@code onTime} false for a late one ({@link Raft#tickLate()}). */
    void tick(boolean onTime) {
        elapsed++;
        if (promise.tick(onTime)) {
            leaderSilent();
        }
        if (!raft.mayCampaign()) {
            return;
        }
        if (elapsed >= timeout) {
            boolean failedCampaign = raft.role() != Role.FOLLOWER;
            campaign(config.preVote());
            if (raft.role() == Role.PRE_CANDIDATE || raft.role() == Role.CANDIDATE) {
                resetTimer(failedCampaign);
            }
        } else if (earlyStartDue()) {
            startEarly();
        } else if (earlyPreVote && raft.role() == Role.PRE_CANDIDATE && elapsed % config.heartbeatTicks() == 0) {
            // Voters still keeping their promise to the dead leader ignored us (their own report may come a moment
            // later than ours): ask those again rather than wait out the whole timer. A pre-vote changes nothing.
            askForVotes(MessageType.PRE_VOTE, raft.term() + 1, 0);
        }
    }

    /**
     * Whether a reported follower's early pre-vote is due: its timer, shortened by as much as its promise was. The
     * timer's extra tick (which lets every other follower's full promise run out first) is dropped too once the
     * leader is known down and kept no lease: no promise is left to wait for, and voters still keeping theirs hold
     * the pre-vote until their own report comes.
     */
    private boolean earlyStartDue() {
        if (!promise.reported() || raft.role() != Role.FOLLOWER) {
            return false;
        }
        return elapsed >= earlyStartTicks();
    }

    /** The timer, shortened by as much as the promise to a reported leader is. */
    private int earlyStartTicks() {
        int promised = promise.ticks();
        int shortenedBy = config.electionTicks() - promised + (promised == 0 ? 1 : 0);
        return timeout - shortenedBy;
    }

    /**
     * Early start: a pre-vote round only (a report requires PreVote). The timer keeps running, so if a majority still
     * hears from the leader and ignores us, the regular timeout follows as if nothing happened.
     */
    private void startEarly() {
        boolean askAgain = promise.reportedByTransport();
        campaign(true);
        earlyPreVote = askAgain;
    }

    /** Starts a pre-vote round, or a real election when {@code preVote} is false. */
    void campaign(boolean preVote) {
        campaign(preVote, 0);
    }

    /** The leader handed over to us (TimeoutNow): a real election whose votes bypass the voters' lease. */
    void campaignForTransfer() {
        campaign(false, Message.TRANSFER_CAMPAIGN);
    }

    private void campaign(boolean preVote, long context) {
        votes.clear();
        votersLastEntries.clear();
        deferred = false;
        promise.clearReports(); // we stop following; our promise is over either way
        earlyPreVote = false;
        MessageType type;
        long campaignTerm;
        if (preVote) {
            raft.becomePreCandidate();
            type = MessageType.PRE_VOTE;
            campaignTerm = raft.term() + 1;
        } else {
            raft.becomeCandidate();
            type = MessageType.VOTE;
            campaignTerm = raft.term();
            // A whole timeout for the votes of this term: a pre-vote won late (voters held it while keeping their
            // promise to the dead leader) left the follower's timer nearly run out, and firing it now would throw
            // away the votes on their way for a pre-vote and election one term later.
            resetTimer(false);
        }
        if (recordVote(config.id(), true)) {
            return;
        }
        askForVotes(type, campaignTerm, context);
    }

    /** Sends the (pre)vote request to every voter that has not answered this round yet. */
    private void askForVotes(MessageType type, long campaignTerm, long context) {
        for (String voter : raft.voters()) {
            if (!voter.equals(config.id()) && !votes.containsKey(voter)) {
                send(Message.voteRequest(type, config.id(), voter, campaignTerm, raft.log().lastIndex(),
                        raft.log().lastTerm(), rank(), context));
            }
        }
    }

    /** Handles a PRE_VOTE or VOTE whose term is not below ours (the caller filtered stale ones and lease). */
    void onVoteRequest(Message m) {
        boolean preVote = m.type() == MessageType.PRE_VOTE;
        String votedFor = raft.votedFor();
        boolean canVote = m.from().equals(votedFor)
                || (votedFor == null && raft.leaderId() == null)
                || (preVote && m.term() > raft.term());
        // No check that the candidate is in our configuration: ours may be the stale one (a node that has not yet
        // received its promotion, say), and refusing would deadlock elections. A removed node that does not know it
        // cannot disrupt anyway: PreVote plus the leader lease stop it while a leader lives, and its log lacks the
        // committed entry that removed it, so a majority never finds it up to date.
        boolean grant = canVote && raft.log().isUpToDate(m.index(), m.logTerm());
        MessageType response = preVote ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
        if (!grant) {
            if (preVote && canVote && mayOutrunCandidate()) {
                // The candidate's log is behind ours, so it cannot win with our vote: its rank was stale (the leader
                // ranked us before our logs diverged). Campaign soon instead of when our later-ranked timer fires.
                // Several followers may be ahead of it (under load the last appends reach some and not others): in
                // rank order, a rank gap apart, so that the best-ranked of them goes first and the others, granting
                // its pre-vote, defer to it instead of splitting the vote. First, so that the refusal carries our
                // term after it (a campaign that wins at once, where we alone are a majority, raises it).
                outrun(m.rank());
            }
            send(Message.voteResponse(response, config.id(), m.from(), raft.term(), true));
            return;
        }
        if (!preVote) {
            raft.recordVoteFor(m.from());
            deferred = true;
            resetTimer(false);
        } else if (isBetterRanked(m.rank()) || raft.log().isNewer(m.index(), m.logTerm())) {
            // Defer to a better successor (better ranked, or holding entries we lack): give it the time to finish
            // instead of racing it.
            if (raft.role() == Role.PRE_CANDIDATE) {
                raft.becomeFollower(raft.term(), null);
            }
            deferred = true;
            resetTimer(false);
        }
        send(Message.voteGranted(response, config.id(), m.from(), m.term(), raft.log().lastIndex(),
                raft.log().lastTerm()));
    }

    /**
     * A vote request or answer waits until this Ready is persisted: it stands on the term and vote written there. A
     * pre-vote promises nothing and changes no state, so it leaves at once instead of behind an fsync of entries
     * that happen to share its Ready (a follower still persisting the dead leader's last appends, under load).
     */
    private void send(Message m) {
        if (m.type() == MessageType.PRE_VOTE || m.type() == MessageType.PRE_VOTE_RESPONSE) {
            raft.outbox().sendEager(m);
        } else {
            raft.outbox().sendAfterPersist(m);
        }
    }

    /**
     * Whether we may start our own pre-vote right after refusing a candidate whose log is behind ours: only as a
     * follower past its promise to the last leader (so no lease is cut short) that may campaign at all, and that has
     * not just deferred to a better successor: that one's log is ahead of the refused candidate's too, and outrunning
     * the refused one would race it (two pre-vote winners at seven node processes, a split vote, 300 ms lost).
     */
    private boolean mayOutrunCandidate() {
        return config.preVote() && raft.role() == Role.FOLLOWER && raft.mayCampaign() && !inLeaderLease()
                && !deferred;
    }

    /**
     * Campaigns now if we are ranked right after the refused candidate (or it had no rank), else once the followers
     * ranked between it and us have had their turn: {@code rankGapTicks} per rank between, unless our timer fires
     * sooner anyway.
     */
    private void outrun(int candidateRank) {
        int between = candidateRank == Message.NO_RANK ? 0 : Math.max(0, rank() - candidateRank - 1);
        int ticks = between * config.rankGapTicks();
        if (ticks == 0) {
            campaign(true);
        } else if (timeout - elapsed > ticks) {
            elapsed = timeout - ticks;
        }
    }

    private boolean isBetterRanked(int candidateRank) {
        return candidateRank != Message.NO_RANK && candidateRank < rank();
    }

    /** A (pre)vote response for the campaign we are running. */
    void onVoteResponse(Message m) {
        boolean expected = (raft.role() == Role.PRE_CANDIDATE && m.type() == MessageType.PRE_VOTE_RESPONSE)
                || (raft.role() == Role.CANDIDATE && m.type() == MessageType.VOTE_RESPONSE);
        if (expected) {
            if (m.type() == MessageType.VOTE_RESPONSE && !m.reject() && m.index() > 0) {
                votersLastEntries.put(m.from(), new LastEntry(m.index(), m.logTerm()));
            }
            recordVote(m.from(), !m.reject());
        }
    }

    /** Returns true if the campaign was decided (won or lost). */
    private boolean recordVote(String from, boolean granted) {
        Quorum quorum = new Quorum(raft.membership().voters());
        if (!quorum.voters().contains(from)) {
            return false;
        }
        votes.putIfAbsent(from, granted);
        switch (quorum.voteResult(votes)) {
            case WON -> {
                if (raft.role() == Role.PRE_CANDIDATE) {
                    campaign(false, 0);
                } else {
                    raft.becomeLeader(votersLastEntries);
                }
                return true;
            }
            case LOST -> {
                raft.becomeFollower(raft.term(), null);
                resetTimer(true);
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
