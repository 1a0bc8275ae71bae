package io.raftx.volatiles;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * One node's volatile keyspace as a deterministic state machine, the second protocol core beside
 * {@link io.raftx.raft.Raft} (see the package documentation for the protocol and its guarantees). Feed it:
 * <ul>
 *   <li>{@link #raftStatus} — after Raft durably reached a term, learned or lost its leader, changed its
 *       configuration or committed more of its log ({@link #raftLeaderChanged(long, String)} when only the term and
 *       leader matter);</li>
 *   <li>{@link #tick()} — one logical tick (the unit of TTLs and timeouts);</li>
 *   <li>{@link #step(VolatileMessage)} — a message from another node's volatile core;</li>
 *   <li>{@link #propose(long, VolatileOp)} and {@link #readStrong(long, String)} — client requests (on the leader).</li>
 * </ul>
 * and collect {@link #ready()}: messages to send, the applied history, watch events, write outcomes, read results.
 * Local reads ({@link #localGet(String)}) return this node's applied state directly. No threads, clocks, sockets or
 * disk in here — and nothing of this state is ever persisted.
 */
public final class VolatileReplica {

    private final VolatileConfig config;
    private final VolatileHistory history;
    private final VolatileOutput out = new VolatileOutput();
    private final long incarnation;
    /** The highest Raft term this node has been told of (durable in Raft): leaders of older epochs are refused. */
    private long term;
    private String raftLeader;
    /** The epoch of the leader this node last synced with; 0 while it holds no volatile memory. */
    private long historyEpoch;
    private VolatileLeader leader;
    private long lastLedEpoch;
    /** Raft's configuration in force on this node (the latest in its log) and what Raft last said of its log. */
    private Set<String> voters;
    private long raftLastIndex;
    private long raftCommit;

    /**
     * A node starts empty, in epoch 0. {@code durableRaftTerm} is the term Raft restored from disk: the volatile
     * core must never answer a leader older than a term it may have promised before a restart.
     * {@code incarnation} must differ from every earlier start of this node (a random long, or a boot counter):
     * it keeps a SYNC computed for the node's previous life from being taken as a sync of this one.
     */
    public VolatileReplica(VolatileConfig config, long durableRaftTerm, long incarnation) {
        this.config = Objects.requireNonNull(config, "config");
        this.history = new VolatileHistory(config.ringCapacity());
        this.incarnation = incarnation;
        this.term = durableRaftTerm;
        this.lastLedEpoch = durableRaftTerm; // Raft never makes a restarted node leader of a term it already knew
        this.voters = Set.copyOf(config.voters());
    }

    // ---- queries ----

    public String id() {
        return config.id();
    }

    /** The Raft term this core last heard of. */
    public long term() {
        return term;
    }

    /** This start of the node (see the constructor). */
    public long incarnation() {
        return incarnation;
    }

    /** The epoch this node's history is synced with; 0 = it holds no volatile data (restarted, never synced). */
    public long historyEpoch() {
        return historyEpoch;
    }

    public boolean isSynced() {
        return historyEpoch > 0;
    }

    public boolean isLeader() {
        return leader != null;
    }

    /** True once this node leads and has recovered: it takes volatile writes in epoch {@link #term()}. */
    public boolean isActiveLeader() {
        return leader != null && leader.phase() == VolatileLeader.Phase.ACTIVE;
    }

    /** The voters of the Raft configuration in force on this node, as Raft last told it. */
    public Set<String> voters() {
        return voters;
    }

    /**
     * Why Raft must not move from {@code currentVoters} to {@code nextVoters} yet, or null if it may (asked on the
     * Raft leader of {@code raftTerm} before it proposes a membership change; a held change is retried). A change of
     * voters waits until this node leads the volatile keyspace in that term, has recovered, and a majority of
     * {@code currentVoters} holds every committed volatile write — so that the majorities of the next configuration,
     * which overlap those of the current one, always include a holder of each (see {@link VoterConfigs}). A change
     * that leaves the voters alone (adding or removing a learner) never waits. If a majority of the current voters
     * has no volatile memory (outside the failure model), the change is let through: it may be what unblocks recovery.
     * A change that removes a voter also waits until a majority of {@code nextVoters} holds every committed write.
     */
    public String configurationChangeHold(long raftTerm, Set<String> currentVoters, Set<String> nextVoters) {
        if (currentVoters.equals(nextVoters)) {
            return null;
        }
        if (leader == null || term != raftTerm) {
            return "node " + config.id() + " does not lead the volatile keyspace in term " + raftTerm + " yet";
        }
        return leader.changeHold(Set.copyOf(currentVoters), Set.copyOf(nextVoters));
    }

    /** The Raft leader of {@link #term()} as this node knows it, or null. */
    public String leaderId() {
        return raftLeader;
    }

    public long lastIndex() {
        return history.lastIndex();
    }

    /** Index of the last op applied here (= committed as far as this node knows). */
    public long appliedIndex() {
        return history.committed();
    }

    /** Oldest index this node can still replay to a lagging node from its ring buffer. */
    public long firstRetainedIndex() {
        return history.firstRetainedIndex();
    }

    /** Local read: this node's applied value of {@code key}, or null. May be stale; empty until the node syncs. */
    public VolatileValue localGet(String key) {
        return history.store().get(key);
    }

    /** Local read of the whole keyspace (an immutable copy). */
    public SortedMap<String, VolatileValue> localEntries() {
        return history.store().copy();
    }

    /** Number of keys (the "volatile size" metric). */
    public int size() {
        return history.store().size();
    }

    /** Times this node rolled committed state back to a snapshot: nonzero only after a majority lost its memory. */
    public long rollbacks() {
        return history.rollbacks();
    }

    VolatileConfig config() {
        return config;
    }

    String fingerprint() {
        return history.store().fingerprint();
    }

    // ---- inputs ----

    /**
     * Raft reached {@code raftTerm} (durably) and knows {@code leaderId} as its leader (null: none known, or the
     * leader stepped down). Older terms are ignored. If this node is the leader, it starts recovery in epoch
     * {@code raftTerm}; if it led and no longer does, its pending requests fail.
     */
    public void raftLeaderChanged(long raftTerm, String leaderId) {
        raftStatus(raftTerm, leaderId, voters, raftLastIndex, raftCommit);
    }

    /**
     * Everything the volatile core needs from Raft, after Raft persisted it: the term and its leader (as in
     * {@link #raftLeaderChanged}), the voters of the configuration in force on this node (the latest in its log), its
     * last log index and its commit index. A leader counts majorities in the new voters from the moment Raft moves to
     * them, jointly with the previous ones until Raft commits past the configuration (see {@link VoterConfigs}).
     */
    public void raftStatus(long raftTerm, String leaderId, Collection<String> raftVoters, long lastIndex, long commitIndex) {
        raftLastIndex = lastIndex; // not a maximum: a truncated tail may never be filled again, nor committed
        raftCommit = Math.max(raftCommit, commitIndex);
        Set<String> now = Set.copyOf(raftVoters);
        if (!now.equals(voters)) {
            voters = now;
            if (leader != null && raftTerm == term) {
                leader.configurationChanged(new VoterConfigs.Config(now, raftLastIndex));
            }
        }
        if (leader != null) {
            leader.raftCommitted(raftCommit);
        }
        if (raftTerm < term) {
            return;
        }
        if (raftTerm > term) {
            stopLeading();
            term = raftTerm;
        }
        raftLeader = leaderId;
        if (!config.id().equals(leaderId)) {
            stopLeading();
        } else if (leader == null && lastLedEpoch < term && voters.contains(config.id())) {
            lastLedEpoch = term;
            VoterConfigs configs = new VoterConfigs(config.id(), new VoterConfigs.Config(voters, raftLastIndex));
            leader = new VolatileLeader(this, config, history, out, term, configs, raftCommit);
            leader.start();
        }
    }

    public void tick() {
        history.ttl().tick();
        if (leader != null) {
            leader.tick();
        }
        for (TtlTracker.Deadline d : history.ttl().due()) {
            if (!history.store().holds(d.key(), d.member(), d.version())) {
                history.ttl().drop(d); // rewritten or removed since: the deadline no longer applies
                if (leader != null) {
                    leader.forgetExpiry(d);
                }
            } else if (leader != null) {
                leader.expire(d); // only the leader decides expiry; followers wait for its op
            }
        }
    }

    public void step(VolatileMessage m) {
        if (!m.to().equals(config.id()) || m.from().equals(config.id())
                || !voters.contains(m.from()) && !m.from().equals(raftLeader)) {
            return; // not for us, or from a node that is neither a voter nor the leader Raft told us of
        }
        if (m.transfer() != null && !m.transfer().isWellFormed(m.epoch())) {
            return;
        }
        if (m.type().fromLeader()) {
            onLeaderMessage(m);
        } else if (leader != null) {
            if (m.epoch() > leader.epoch()) {
                stopLeading(); // a voter promised a newer leader: ours is over (Raft will tell us too)
            } else if (m.epoch() == leader.epoch()) {
                switch (m.type()) {
                    case STATUS -> leader.onStatus(m);
                    case FETCH_RESPONSE -> leader.onFetchResponse(m);
                    default -> { }
                }
            }
        }
    }

    /**
     * Writes {@code op} if this node is the active leader: it gets the next index in this epoch and its
     * {@link WriteOutcome} (under {@code requestId}) follows once a majority holds it. Refusals are definite.
     */
    public Admission propose(long requestId, VolatileOp op) {
        if (op.isExpiry()) {
            throw new IllegalArgumentException("expiry ops are the leader's own; clients cannot propose " + op);
        }
        if (leader == null) {
            return Admission.refused(Admission.Refusal.NOT_LEADER, term, raftLeader);
        }
        return leader.propose(requestId, op);
    }

    /**
     * Strong read of {@code key} through the leader: the {@link ReadResult} follows once a majority of voters has
     * confirmed this node still leads; it reflects every write acknowledged before this call.
     */
    public Admission readStrong(long requestId, String key) {
        Objects.requireNonNull(key, "key");
        if (leader == null) {
            return Admission.refused(Admission.Refusal.NOT_LEADER, term, raftLeader);
        }
        return leader.readStrong(requestId, key);
    }

    // ---- outputs ----

    public boolean hasReady() {
        return !out.isEmpty() || (leader != null && leader.hasWork());
    }

    public VolatileReady ready() {
        if (leader != null) {
            leader.flush();
        }
        return out.drain();
    }

    // ---- following ----

    private void onLeaderMessage(VolatileMessage m) {
        if (m.epoch() < term) {
            reply(m.from(), 0, false); // tells a stale leader that a newer term exists
            return;
        }
        if (m.epoch() > term || leader != null) {
            return; // Raft has not (durably) told us of this term yet; the leader retries
        }
        switch (m.type()) {
            case HEARTBEAT -> {
                if (historyEpoch == term) {
                    history.commitTo(Math.min(m.commit(), history.lastIndex()), out);
                }
                reply(m.from(), m.context(), false);
            }
            case APPEND -> {
                if (m.incarnation() != incarnation) {
                    reply(m.from(), 0, false); // meant for an earlier start of this node: tell the leader who we are
                    return;
                }
                boolean fits = historyEpoch == term && history.receive(m.transfer(), false, out);
                if (fits) {
                    history.commitTo(Math.min(m.commit(), history.lastIndex()), out);
                }
                reply(m.from(), 0, historyEpoch == term && !fits);
            }
            case SYNC -> onSync(m);
            case FETCH -> out.send(VolatileMessage.fetchResponse(config.id(), m.from(), term, incarnation, historyEpoch,
                    history.lastIndex(), history.committed(),
                    history.transferAfter(m.transfer().anchorIndex(), m.transfer().anchorEpoch())));
            default -> { }
        }
    }

    private void onSync(VolatileMessage m) {
        if (m.incarnation() != incarnation) {
            reply(m.from(), 0, false); // computed for an earlier start of this node: it may lack later commits
            return;
        }
        if (historyEpoch == term && m.transfer().lastIndex() <= history.lastIndex()) {
            reply(m.from(), 0, false); // already synced in this epoch; a late duplicate must not shorten us
            return;
        }
        boolean fits = history.receive(m.transfer(), true, out);
        if (fits) {
            historyEpoch = term;
            history.commitTo(Math.min(m.commit(), history.lastIndex()), out);
        }
        reply(m.from(), 0, !fits);
    }

    private void reply(String to, long context, boolean reject) {
        out.send(VolatileMessage.status(config.id(), to, term, incarnation, historyEpoch, history.lastIndex(),
                history.committed(), context, reject));
    }

    // ---- leading ----

    /** The leader holds the starting history of its epoch (chosen, fetched): it is synced with itself. */
    void adoptEpoch(long epoch) {
        historyEpoch = epoch;
    }

    private void stopLeading() {
        if (leader != null) {
            leader.stop();
            leader = null;
        }
    }

    @Override
    public String toString() {
        return config.id() + "{t" + term + (leader != null ? " " + leader.phase() : "") + " history=" + history.lastIndex()
                + "@e" + historyEpoch + " applied=" + history.committed() + " keys=" + size() + "}";
    }
}
