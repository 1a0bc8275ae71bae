package io.raftx.volatiles;

import java.util.Map;

/**
 * The first two phases of a {@link VolatileLeader}'s epoch: wait until {@link LeaderRecovery} can choose the best
 * history the voters reported (COLLECTING), and if another voter holds it, fetch what this node lacks from it
 * (FETCHING). Each step answers with the phase the leader is in after it; the leader does the rest.
 */
final class RecoveryFetch {

    /** Where recovery stands: still collecting reports, fetching from {@link #target()}, or holding the best history. */
    enum Outcome { COLLECTING, FETCHING, SYNCED }

    private final VolatileReplica replica;
    private final VolatileConfig config;
    private final VolatileHistory history;
    private final VolatileOutput out;
    private final long epoch;
    private final VoterConfigs configs;
    private final Map<String, FollowerProgress> followers;
    private LeaderRecovery.Report target;
    private long fetchSentAt = FollowerProgress.NEVER;

    RecoveryFetch(VolatileReplica replica, VolatileConfig config, VolatileHistory history, VolatileOutput out,
                  long epoch, VoterConfigs configs, Map<String, FollowerProgress> followers) {
        this.replica = replica;
        this.config = config;
        this.history = history;
        this.out = out;
        this.epoch = epoch;
        this.configs = configs;
        this.followers = followers;
    }

    /** Chooses again from the reports at hand. */
    Outcome decide(long ticks) {
        LeaderRecovery.Report self = new LeaderRecovery.Report(config.id(), replica.historyEpoch(), history.lastIndex());
        LeaderRecovery.Report best = LeaderRecovery.chooseBest(self, followers.values(), configs);
        if (best == null) {
            target = null;
            return Outcome.COLLECTING;
        }
        if (best.id().equals(config.id())) {
            target = null;
            return Outcome.SYNCED;
        }
        if (!best.equals(target)) {
            target = best;
            fetchSentAt = FollowerProgress.NEVER;
        }
        return fetchIfDue(ticks);
    }

    /** While FETCHING: (re)sends the request when due, or chooses again if the holder left or went silent. */
    Outcome fetchIfDue(long ticks) {
        FollowerProgress holder = followers.get(target.id());
        if (holder == null) {
            return decide(ticks); // the holder left every counted configuration
        }
        if (ticks - holder.lastHeard > config.quorumTimeoutTicks()) {
            // It went silent after reporting (stopped, crashed or cut off): waiting for its answer could last
            // forever. Its report stops counting, and the voters that still answer decide, if they are a majority
            // with memory (any such majority holds every committed op); if it comes back it reports again.
            holder.reported = false;
            return decide(ticks);
        }
        if (ticks - fetchSentAt >= config.retryTicks()) {
            fetchSentAt = ticks;
            long anchor = history.committed();
            out.send(VolatileMessage.fetch(config.id(), target.id(), epoch, anchor, history.epochAt(anchor)));
        }
        return Outcome.FETCHING;
    }

    /**
     * While FETCHING: the holder's answer. Null if it is not from the holder (ignored); SYNCED once its history is
     * ours; otherwise its history changed since it reported (it restarted) and the outcome of choosing again.
     */
    Outcome onFetchResponse(VolatileMessage m, long ticks) {
        if (!m.from().equals(target.id())) {
            return null;
        }
        FollowerProgress p = followers.get(m.from());
        if (p == null) {
            return null;
        }
        p.report(m.incarnation(), m.historyEpoch(), m.lastIndex(), m.commit());
        p.lastHeard = ticks;
        boolean asReported = m.historyEpoch() == target.historyEpoch() && m.lastIndex() == target.lastIndex()
                && m.transfer().lastIndex() == m.lastIndex();
        if (asReported && history.receive(m.transfer(), true, out)) {
            history.commitTo(Math.min(m.commit(), history.lastIndex()), out); // what it knew committed is
            target = null;
            return Outcome.SYNCED;
        }
        return decide(ticks);
    }

    /** While FETCHING: whether a status from a voter says the holder's history is no longer the one it reported. */
    boolean holderChanged(VolatileMessage m) {
        return m.from().equals(target.id())
                && (m.historyEpoch() != target.historyEpoch() || m.lastIndex() != target.lastIndex());
    }
}
