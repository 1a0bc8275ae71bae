package io.raftx.volatiles;

/**
 * What a {@link VolatileLeader} sends one follower: a SYNC (ops after its commit index, or a snapshot) until it holds
 * the epoch's history, then APPENDs in a bounded window once the leader is ACTIVE.
 */
final class FollowerFeed {

    /** Batches of ops in flight to one follower before the leader waits for its acknowledgement. */
    private static final int APPEND_WINDOW_BATCHES = 4;

    private final VolatileConfig config;
    private final VolatileHistory history;
    private final VolatileOutput out;
    private final long epoch;

    FollowerFeed(VolatileConfig config, VolatileHistory history, VolatileOutput out, long epoch) {
        this.config = config;
        this.history = history;
        this.out = out;
        this.epoch = epoch;
    }

    boolean due(FollowerProgress p, VolatileLeader.Phase phase, long ticks) {
        return syncDue(p, phase, ticks) || appendDue(p, phase);
    }

    /** Sends {@code p} what is due: its SYNC, or the APPENDs its window allows. */
    void send(FollowerProgress p, VolatileLeader.Phase phase, long ticks) {
        if (!p.synced) {
            syncIfDue(p, phase, ticks);
        } else {
            sendAppends(p, phase, ticks);
        }
    }

    private boolean syncDue(FollowerProgress p, VolatileLeader.Phase phase, long ticks) {
        boolean syncing = phase == VolatileLeader.Phase.SYNCING || phase == VolatileLeader.Phase.ACTIVE;
        return syncing && !p.synced && p.reported && ticks - p.syncSentAt >= config.retryTicks();
    }

    private boolean appendDue(FollowerProgress p, VolatileLeader.Phase phase) {
        return phase == VolatileLeader.Phase.ACTIVE && p.synced && p.next <= history.lastIndex()
                && p.next - p.match <= (long) APPEND_WINDOW_BATCHES * config.maxOpsPerAppend();
    }

    private void syncIfDue(FollowerProgress p, VolatileLeader.Phase phase, long ticks) {
        if (syncDue(p, phase, ticks)) {
            HistoryTransfer t = p.needsSnapshot ? history.snapshotTransfer() : history.transferAfter(p.commit, -1);
            out.send(VolatileMessage.sync(config.id(), p.id, epoch, p.incarnation, history.committed(), t));
            p.syncSentAt = ticks;
        }
    }

    private void sendAppends(FollowerProgress p, VolatileLeader.Phase phase, long ticks) {
        while (appendDue(p, phase)) {
            HistoryTransfer t = history.opsAfter(p.next - 1, config.maxOpsPerAppend());
            if (t == null) { // it fell behind the ring buffer: catch it up with a snapshot
                long held = p.match;
                p.unsynced();
                p.report(p.incarnation, epoch, held, held);
                syncIfDue(p, phase, ticks);
                return;
            }
            out.send(VolatileMessage.append(config.id(), p.id, epoch, p.incarnation, history.committed(), t));
            p.next = t.lastIndex() + 1;
        }
    }
}
