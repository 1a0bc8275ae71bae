package io.raftx.volatiles;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's leadership of one epoch (the Raft term it leads). Recovery first, then service:
 * <ol>
 *   <li>COLLECTING — heartbeats ask every voter to promise the epoch and report its history, until
 *       {@link LeaderRecovery} can choose the best one;</li>
 *   <li>FETCHING — if the best history is another voter's, fetch what we lack from it (ops after our commit index,
 *       or its snapshot); if it falls silent for the quorum timeout, choose again without its report;</li>
 *   <li>SYNCING — we now hold the epoch's starting history; SYNC every voter to it (ops after its commit index, or a
 *       snapshot), truncating divergent uncommitted suffixes. Once a majority of voters holds it, all of it is
 *       committed;</li>
 *   <li>ACTIVE — sequence writes and TTL expiries in this epoch, append them to synced voters, commit what a majority
 *       holds, serve strong reads.</li>
 * </ol>
 * Majorities are counted in every configuration of {@link VoterConfigs} (joint while a Raft membership change is
 * not known committed); the leader turns ACTIVE only once Raft committed the configuration it started with, so
 * that no leader of a later term can start from a configuration two changes away from it.
 *
 * <p>COLLECTING and FETCHING are worked by {@link RecoveryFetch}; what each follower is sent (SYNC, then windows of
 * APPENDs) by {@link FollowerFeed}. This class keeps the phase, the majorities, the writes and the reads.
 */
final class VolatileLeader {

    enum Phase { COLLECTING, FETCHING, SYNCING, ACTIVE }

    private final VolatileReplica replica;
    private final VolatileConfig config;
    private final VolatileHistory history;
    private final VolatileOutput out;
    private final long epoch;
    private final VoterConfigs configs;
    private final Map<String, FollowerProgress> followers = new TreeMap<>();
    private final PendingWrites writes;
    private final StrongReads reads = new StrongReads();
    private final Set<TtlTracker.Deadline> expiriesProposed = new HashSet<>();
    private final RecoveryFetch recovery;
    private final FollowerFeed feed;
    private Phase phase = Phase.COLLECTING;
    private long ticks;
    private long raftCommit;
    private long lastHeartbeatAt;
    private int heartbeatElapsed;

    VolatileLeader(VolatileReplica replica, VolatileConfig config, VolatileHistory history, VolatileOutput out, long epoch,
                   VoterConfigs configs, long raftCommit) {
        this.replica = replica;
        this.config = config;
        this.history = history;
        this.out = out;
        this.epoch = epoch;
        this.writes = new PendingWrites(epoch);
        this.configs = configs;
        this.raftCommit = raftCommit;
        this.recovery = new RecoveryFetch(replica, config, history, out, epoch, configs, followers);
        this.feed = new FollowerFeed(config, history, out, epoch);
        trackMembers();
    }

    /** Follows every voter of every counted configuration; forgets the ones no longer in any. */
    private void trackMembers() {
        java.util.Set<String> members = configs.members();
        for (String voter : members) {
            if (!voter.equals(config.id())) {
                followers.computeIfAbsent(voter, FollowerProgress::new);
            }
        }
        followers.keySet().retainAll(members);
    }

    Phase phase() {
        return phase;
    }

    VoterConfigs configs() {
        return configs;
    }

    // ---- Raft membership ----

    /** Raft moved to another configuration during this epoch: count majorities in it too from now on. */
    void configurationChanged(VoterConfigs.Config next) {
        configs.add(next);
        trackMembers();
        for (String id : next.voters()) {
            FollowerProgress p = followers.get(id);
            if (p != null && !p.reported) {
                out.send(VolatileMessage.heartbeat(config.id(), id, epoch, history.committed(), reads.startedRound()));
            }
        }
        reevaluate();
    }

    /** Raft committed its log up to {@code index}: older configurations may stop counting, activation may proceed. */
    void raftCommitted(long index) {
        if (index <= raftCommit) {
            return;
        }
        raftCommit = index;
        if (configs.committedUpTo(index)) {
            trackMembers();
        }
        reevaluate();
    }

    private void reevaluate() {
        switch (phase) {
            case COLLECTING, FETCHING -> decideRecovery();
            case SYNCING -> maybeActivate();
            case ACTIVE -> {
                maybeCommit();
                serveReads();
            }
        }
    }

    /**
     * Null if Raft may move from {@code current} to {@code next} voters now, else why not: this leader must be active
     * and a majority of {@code current} must hold every committed op (see {@link VoterConfigs}); when a voter leaves,
     * a majority of {@code next} must hold them too, so that removing a holder (the leader included) never leaves
     * them only on voters that have since lost their memory. Holders count only if heard from recently.
     */
    String changeHold(java.util.Set<String> current, java.util.Set<String> next) {
        if (!configs.latest().voters().equals(current)) {
            return "the volatile keyspace has not taken up the configuration " + current + " yet";
        }
        if (phase != Phase.ACTIVE) {
            if (majorityReportedWithoutMemory(current)) {
                return null; // a majority lost its volatile memory: nothing is guaranteed to protect (see package doc)
            }
            return "the volatile keyspace is still recovering in term " + epoch;
        }
        if (!VoterConfigs.hasMajority(current, this::holdsCommitted)) {
            return "a majority of " + current + " does not yet hold every committed volatile write";
        }
        if (!next.containsAll(current) && !VoterConfigs.hasMajority(next, this::holdsCommitted)) {
            return "a majority of the remaining voters " + next + " does not yet hold every committed volatile write";
        }
        return null;
    }

    private boolean holdsCommitted(String id) {
        FollowerProgress p = followers.get(id);
        return id.equals(config.id()) || p != null && p.synced && p.match >= history.committed()
                && ticks - p.lastHeard <= config.quorumTimeoutTicks();
    }

    private boolean majorityReportedWithoutMemory(java.util.Set<String> voters) {
        return VoterConfigs.hasMajority(voters, id -> id.equals(config.id()) ? replica.historyEpoch() == 0
                : followers.containsKey(id) && followers.get(id).reported && followers.get(id).historyEpoch == 0);
    }

    long epoch() {
        return epoch;
    }

    void start() {
        broadcastHeartbeat();
        decideRecovery();
    }

    void stop() {
        writes.leadershipLost(out);
        reads.leadershipLost(out);
    }

    // ---- recovery ----

    private void decideRecovery() {
        enter(recovery.decide(ticks));
    }

    /** Takes up the phase recovery reached; holding the best history, SYNCs the voters to it. */
    private void enter(RecoveryFetch.Outcome outcome) {
        switch (outcome) {
            case COLLECTING -> phase = Phase.COLLECTING;
            case FETCHING -> phase = Phase.FETCHING;
            case SYNCED -> becomeSynced();
        }
    }

    void onFetchResponse(VolatileMessage m) {
        if (phase != Phase.FETCHING) {
            return;
        }
        RecoveryFetch.Outcome outcome = recovery.onFetchResponse(m, ticks);
        if (outcome != null) {
            enter(outcome);
        }
    }

    private void becomeSynced() {
        replica.adoptEpoch(epoch);
        phase = Phase.SYNCING;
        for (FollowerProgress p : followers.values()) {
            p.unsynced();
            p.syncSentAt = FollowerProgress.NEVER;
        }
        maybeActivate();
    }

    private void maybeActivate() {
        if (phase != Phase.SYNCING || !configs.latestCommitted(raftCommit) || !configs.quorum(this::isSynced)) {
            return;
        }
        phase = Phase.ACTIVE;
        history.commitTo(history.lastIndex(), out); // a majority holds the whole starting history: committed
        broadcastHeartbeat();
    }

    private boolean isSynced(String id) {
        FollowerProgress p = followers.get(id);
        return id.equals(config.id()) || p != null && p.synced;
    }

    // ---- answers from voters ----

    void onStatus(VolatileMessage m) {
        FollowerProgress p = followers.get(m.from());
        if (p == null) {
            return;
        }
        p.lastHeard = ticks;
        p.readRoundAcked = Math.max(p.readRoundAcked, m.context());
        p.report(m.incarnation(), m.historyEpoch(), m.lastIndex(), m.commit());
        switch (phase) {
            case COLLECTING -> decideRecovery();
            case FETCHING -> {
                if (recovery.holderChanged(m)) {
                    decideRecovery();
                }
            }
            case SYNCING, ACTIVE -> {
                if (m.historyEpoch() == epoch) {
                    p.syncedUpTo(Math.min(m.lastIndex(), history.lastIndex()));
                    if (m.reject()) {
                        p.next = p.match + 1; // an append did not fit: it missed one before, resend from its end
                    }
                } else {
                    if (p.synced || m.reject()) {
                        p.syncSentAt = FollowerProgress.NEVER; // it lost its memory, or our SYNC did not fit: at once
                    }
                    p.unsynced();
                    p.needsSnapshot = m.reject();
                }
                maybeActivate();
                maybeCommit();
                serveReads();
            }
        }
    }

    // ---- client requests and expiries ----

    Admission propose(long requestId, VolatileOp op) {
        Admission refusal = refusal();
        if (refusal != null) {
            return refusal;
        }
        if (pendingOps() >= config.maxPendingOps()) {
            return Admission.refused(Admission.Refusal.TOO_MANY_PENDING, epoch, config.id());
        }
        long index = history.lastIndex() + 1;
        writes.add(requestId, index, ticks + config.requestTimeoutTicks());
        history.append(new SequencedOp(index, epoch, op));
        maybeCommit(); // a single voter commits at once
        return Admission.accepted(index, epoch, config.id());
    }

    Admission readStrong(long requestId, String key) {
        Admission refusal = refusal();
        if (refusal != null) {
            return refusal;
        }
        reads.add(requestId, key, ticks + config.requestTimeoutTicks());
        return Admission.accepted(history.committed(), epoch, config.id());
    }

    private Admission refusal() {
        if (phase != Phase.ACTIVE) {
            return Admission.refused(Admission.Refusal.RECOVERING, epoch, config.id());
        }
        if (!quorumRecentlyHeard()) {
            return Admission.refused(Admission.Refusal.NO_QUORUM, epoch, config.id());
        }
        return null;
    }

    private boolean quorumRecentlyHeard() {
        return configs.quorum(id -> {
            FollowerProgress p = followers.get(id);
            return id.equals(config.id()) || p != null && p.synced && ticks - p.lastHeard <= config.quorumTimeoutTicks();
        });
    }

    /** A TTL deadline passed here: propose its expiry once per leadership (it may lose to a newer write). */
    void expire(TtlTracker.Deadline d) {
        if (phase != Phase.ACTIVE || pendingOps() >= config.maxPendingOps() || !expiriesProposed.add(d)) {
            return;
        }
        VolatileOp op = d.member() == null ? VolatileOp.expireKey(d.key(), d.version())
                : VolatileOp.expireMember(d.key(), d.member(), d.version());
        history.append(new SequencedOp(history.lastIndex() + 1, epoch, op));
        maybeCommit();
    }

    /** The deadline is gone (its key changed or expired): no need to remember that we proposed it. */
    void forgetExpiry(TtlTracker.Deadline d) {
        expiriesProposed.remove(d);
    }

    private long pendingOps() {
        return history.lastIndex() - history.committed();
    }

    // ---- commit and reads ----

    private void maybeCommit() {
        if (phase != Phase.ACTIVE) {
            return;
        }
        long heldByMajority = configs.quorumValue(id -> {
            FollowerProgress p = followers.get(id);
            if (id.equals(config.id())) {
                return history.lastIndex();
            }
            return p != null && p.synced ? Math.min(p.match, history.lastIndex()) : 0;
        });
        if (heldByMajority > history.committed()) {
            Set<Long> conditionFailed = history.commitTo(heldByMajority, out);
            writes.committedUpTo(history.committed(), conditionFailed, out);
        }
    }

    private void serveReads() {
        if (phase != Phase.ACTIVE) {
            return;
        }
        long confirmed = configs.quorumValue(id -> {
            FollowerProgress p = followers.get(id);
            return id.equals(config.id()) ? reads.startedRound() : p == null ? 0 : p.readRoundAcked;
        });
        reads.serve(confirmed, history.store()::get, history.committed(), out);
    }

    // ---- timers and sending ----

    void tick() {
        ticks++;
        writes.expire(ticks, out);
        reads.expire(ticks, out);
        if (++heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            for (FollowerProgress p : followers.values()) {
                boolean stalled = p.match == p.matchAtLastHeartbeat && p.match < history.lastIndex();
                if (p.synced && stalled && p.lastHeard >= lastHeartbeatAt) {
                    p.next = p.match + 1; // it answers but does not progress: what we sent was lost
                }
                p.matchAtLastHeartbeat = p.match;
            }
            lastHeartbeatAt = ticks;
            broadcastHeartbeat();
        }
        if (phase == Phase.FETCHING) {
            enter(recovery.fetchIfDue(ticks));
        }
    }

    private void broadcastHeartbeat() {
        for (FollowerProgress p : followers.values()) {
            out.send(VolatileMessage.heartbeat(config.id(), p.id, epoch, history.committed(), reads.startedRound()));
        }
    }

    boolean hasWork() {
        if (phase == Phase.ACTIVE && reads.needsRound()) {
            return true;
        }
        return followers.values().stream().anyMatch(p -> feed.due(p, phase, ticks));
    }

    /** Sends the SYNCs and APPENDs that are due, and starts a read round if reads wait for one. */
    void flush() {
        for (FollowerProgress p : followers.values()) {
            feed.send(p, phase, ticks);
        }
        if (phase == Phase.ACTIVE && reads.needsRound()) {
            reads.startRound();
            broadcastHeartbeat();
            serveReads(); // a single voter confirms its own round
        }
    }

    @Override
    public String toString() {
        return "leader{e" + epoch + " " + phase + " " + followers.values() + "}";
    }
}
