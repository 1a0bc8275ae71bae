package io.raftx.raft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's side of log replication: it tracks every follower's {@link Progress}, batches new entries into
 * pipelined appends within each follower's inflight window, walks a follower back on rejection using the conflict
 * hints, sends heartbeats carrying each follower's succession rank, and advances the commit index by counting
 * matches of current-term entries (Raft §5.4.2). Created fresh for every term this node leads.
 */
final class Replicator {

    private final RaftConfig config;
    private final RaftLog log;
    private final Outbox outbox;
    private final String self;
    private final long term;
    private Membership membership;
    private Quorum quorum;
    private final Map<String, Progress> followers = new LinkedHashMap<>();
    private final Map<String, Integer> ranks = new LinkedHashMap<>();
    /** The commit index when the ranks were last computed: followers that have not reached it since fell behind. */
    private long rankedAtCommit;
    private final QuorumRounds rounds;
    /** Leadership transfer target, or null; proposals are refused while it is set. */
    private String transferee;
    private int transferElapsed;
    private boolean timeoutNowSent;
    private long ticks;
    /** A TimeoutNow may still be in the network until then: its election ignores leases, so ours is off. */
    private long noLeaseUntilTick;

    Replicator(RaftConfig config, RaftLog log, Outbox outbox, long term, Membership membership) {
        this.config = config;
        this.log = log;
        this.outbox = outbox;
        this.self = config.id();
        this.term = term;
        this.rounds = new QuorumRounds(self, membership.voters());
        setMembership(membership);
    }

    /** Follows a configuration change: new members get a progress (probing from our end), removed ones lose it. */
    void setMembership(Membership newMembership) {
        membership = newMembership;
        quorum = new Quorum(newMembership.voters());
        followers.keySet().removeIf(id -> !newMembership.isMember(id));
        for (String id : newMembership.members()) {
            if (!id.equals(self) && !followers.containsKey(id)) {
                followers.put(id, new Progress(log.lastIndex() + 1, config.maxInflightAppends()));
            }
        }
        rounds.setVoters(newMembership.voters());
        recomputeRanks();
    }

    /**
     * A new leader knows where the logs of the voters that elected it end (their grants said so). Where we hold that
     * last entry too, the follower's log is a prefix of ours (log matching), so we stream to it from there at once:
     * one append carries what it lacks and the no-op, and later entries follow without waiting for an answer. Without
     * this, an append probing from our own end would be refused by every follower that is behind (under load, most of
     * them), costing a round trip before the new term's first commit. A wrong or stale end only costs that refusal:
     * the follower's consistency check decides, and a refusal falls back to probing.
     */
    void replicateFromKnownEnds(Map<String, LastEntry> lastEntries) {
        lastEntries.forEach((id, last) -> {
            Progress pr = followers.get(id);
            if (pr != null && log.matches(last.index(), last.term())) { // matches: held here, not compacted
                pr.replicateFrom(last.index() + 1);
            }
        });
    }

    /**
     * How far {@code id}'s log is behind ours; -1 if it is not a follower or has not yet acknowledged our latest
     * configuration (a learner must know the configuration that makes it a voter before it can vote sensibly).
     */
    long lag(String id) {
        Progress pr = followers.get(id);
        if (pr == null || pr.match() < log.memberships().currentIndex()) {
            return -1;
        }
        return log.lastIndex() - pr.match();
    }

    Progress progress(String id) {
        return followers.get(id);
    }

    /** Sends whatever each follower is missing, as far as its window allows. Called once per Ready: batching. */
    void flush() {
        for (String id : followers.keySet()) {
            sendAppends(id);
        }
    }

    private void sendAppends(String to) {
        Progress pr = followers.get(to);
        while (!pr.isPaused()) {
            long next = pr.next();
            if (next > log.lastIndex() && pr.state() == Progress.State.REPLICATE) {
                return;
            }
            sendAppend(to, pr, next);
            if (pr.state() == Progress.State.PROBE) {
                return;
            }
        }
    }

    private void sendAppend(String to, Progress pr, long next) {
        if (next <= log.offset() || !log.hasTerm(next - 1)) {
            sendSnapshot(to, pr);
            return;
        }
        List<Entry> batch = log.slice(next, log.lastIndex(), config.maxEntriesPerAppend(), config.maxBytesPerAppend());
        long prev = next - 1;
        outbox.sendEager(Message.append(self, to, term, prev, log.term(prev), batch, log.committed(), rank(to),
                !config.leaseReads()));
        pr.sent(prev + batch.size(), !batch.isEmpty());
    }

    /** True if {@link #flush()} would send something. */
    boolean hasPendingSends() {
        for (Progress pr : followers.values()) {
            if (!pr.isPaused() && (pr.next() <= log.lastIndex() || pr.state() == Progress.State.PROBE)) {
                return true;
            }
        }
        return false;
    }

    /** Sends a heartbeat round; a majority's answers confirm the reads waiting on it and renew the lease. */
    /** The follower needs entries we compacted away: send our latest snapshot instead (streamed by the runtime). */
    private void sendSnapshot(String to, Progress pr) {
        SnapshotMeta snap = log.snapshot();
        if (snap == null) {
            throw new IllegalStateException("entries before " + log.firstIndex() + " are compacted but no snapshot is known");
        }
        outbox.sendEager(Message.snapshot(self, to, term, snap));
        pr.snapshotSent(snap.index());
    }

    void snapshotSent(String id) {
        Progress pr = followers.get(id);
        if (pr != null) {
            pr.snapshotDelivered();
        }
    }

    void snapshotFailed(String id) {
        Progress pr = followers.get(id);
        if (pr != null) {
            pr.snapshotFailed();
        }
    }

    void broadcastHeartbeat() {
        recomputeRanks(); // the heartbeat takes the new ranks to every follower at about the same moment
        long context = rounds.startRound();
        for (Map.Entry<String, Progress> e : followers.entrySet()) {
            long commit = Math.min(e.getValue().match(), log.committed());
            outbox.sendEager(Message.heartbeat(self, e.getKey(), term, commit, rank(e.getKey()), context,
                    !config.leaseReads()));
        }
    }

    void tick() {
        ticks++;
        rounds.tick();
        if (transferee != null && ++transferElapsed >= config.electionTicks()) {
            transferee = null; // the target did not take over in time: resume accepting proposals
        }
    }

    // ---- reads ----

    /** Queues a ReadIndex request at the current commit index (the caller ensured it is from this term). */
    void addRead(long requestId) {
        rounds.addRead(requestId, log.committed());
    }

    /** Starts a round for queued reads right away instead of waiting for the next heartbeat. */
    List<ReadState> flushReads() {
        if (!rounds.hasWaitingReads()) {
            return List.of();
        }
        List<ReadState> alone = rounds.confirmAllIfAlone();
        if (alone.isEmpty()) {
            broadcastHeartbeat();
        }
        return alone;
    }

    boolean hasWaitingReads() {
        return rounds.hasWaitingReads();
    }

    List<ReadState> failReads() {
        return rounds.failAll();
    }

    boolean leaseHolds(int leaseTicks) {
        return transferee == null && ticks >= noLeaseUntilTick && rounds.leaseHolds(leaseTicks);
    }

    // ---- leadership transfer ----

    String transferee() {
        return transferee;
    }

    /** Catches {@code target} up, then tells it to campaign (TimeoutNow). */
    void transferTo(String target) {
        transferee = target;
        transferElapsed = 0;
        timeoutNowSent = false;
        maybeSendTimeoutNow();
        sendAppends(target);
    }

    private void maybeSendTimeoutNow() {
        Progress pr = transferee == null ? null : followers.get(transferee);
        if (pr != null && !timeoutNowSent && pr.match() == log.lastIndex()) {
            outbox.sendEager(Message.timeoutNow(self, transferee, term));
            timeoutNowSent = true;
            noLeaseUntilTick = ticks + 2L * config.electionTicks();
        }
    }

    /** Returns true if the commit index moved. */
    boolean onAppendResponse(Message m) {
        Progress pr = followers.get(m.from());
        if (pr == null) {
            return false;
        }
        if (m.reject()) {
            if (pr.rejected(m.index(), nextAfterRejection(m))) {
                sendAppends(m.from());
            }
            return false;
        }
        boolean moved = pr.acknowledged(m.index());
        boolean committed = moved && maybeCommit();
        if (moved && m.from().equals(transferee)) {
            maybeSendTimeoutNow();
        }
        sendAppends(m.from());
        return committed;
    }

    /** Fast backtracking: skip a whole conflicting term at once instead of one entry per round trip. */
    private long nextAfterRejection(Message m) {
        if (m.hintTerm() == 0) {
            return m.hintIndex();
        }
        long ours = log.lastIndexOfTerm(m.hintTerm(), m.index());
        return ours > 0 ? ours + 1 : m.hintIndex();
    }

    /** Returns the reads this answer confirmed. */
    List<ReadState> onHeartbeatResponse(String from, long context) {
        Progress pr = followers.get(from);
        if (pr == null) {
            return List.of();
        }
        List<ReadState> confirmed = membership.isVoter(from) ? rounds.acknowledge(from, context) : List.of();
        boolean stalled = pr.onHeartbeatResponse(ticks);
        if (pr.match() < log.lastIndex()) {
            if (pr.state() == Progress.State.REPLICATE && pr.next() > log.lastIndex()) {
                if (stalled) {
                    // Everything was sent, nothing acknowledged since the last heartbeat: an append was probably
                    // lost. An empty append at next-1 makes the follower confirm or reject (back to probing).
                    sendAppend(from, pr, pr.next());
                }
            } else {
                sendAppends(from);
            }
        }
        return confirmed;
    }

    /** Our own log became durable up to a new index: it may complete a quorum. */
    boolean onLocalPersist() {
        return maybeCommit();
    }

    private boolean maybeCommit() {
        if (quorum.voters().isEmpty()) {
            return false;
        }
        long quorumMatch = quorum.committedIndex(id -> id.equals(self) ? log.persisted() : followers.get(id).match());
        // Only entries of the current term are committed by counting replicas (Raft §5.4.2, Figure 8).
        return log.term(quorumMatch) == term && log.commitTo(quorumMatch);
    }

    /** CheckQuorum: true if a majority of voters (counting us) was heard from since the last call. Resets the marks. */
    boolean quorumActive() {
        boolean active = quorum.reached(id -> id.equals(self) || followers.get(id).recentActive());
        followers.values().forEach(pr -> pr.setRecentActive(false));
        return active;
    }

    int rank(String follower) {
        return ranks.getOrDefault(follower, Message.NO_RANK);
    }

    /**
     * Ranked succession among voting followers (learners get no rank), computed once per heartbeat interval and
     * sticky: followers that keep up (reached what was committed when the ranks were last computed) keep their
     * order, new ones after them by node id; followers that fell behind come last, most up-to-date first. Under a
     * write load the order of the followers' match indexes changes with every acknowledgement: ranks that followed
     * it would differ between followers that last heard from the leader at different moments, and two followers that
     * both believe they rank first campaign together and split the vote. Which of the keeping-up followers holds the
     * newest entries when the leader dies is chance either way; one that does not is outrun ({@link Election}).
     */
    private void recomputeRanks() {
        List<String> order = new ArrayList<>(followers.keySet());
        order.removeIf(id -> !membership.isVoter(id));
        long keptUp = rankedAtCommit;
        order.sort(Comparator.comparingLong((String id) -> {
            long match = followers.get(id).match();
            return match >= keptUp ? Long.MIN_VALUE : -match;
        }).thenComparingInt(id -> ranks.getOrDefault(id, Integer.MAX_VALUE)).thenComparing(id -> id));
        ranks.clear();
        for (int r = 0; r < order.size(); r++) {
            ranks.put(order.get(r), r);
        }
        rankedAtCommit = log.committed();
    }
}
