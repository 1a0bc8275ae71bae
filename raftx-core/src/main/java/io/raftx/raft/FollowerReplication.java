package io.raftx.raft;

/**
 * A follower's side of replication: checks the leader's appends, heartbeats and snapshots against its log, applies
 * what matches and answers (after the next persist). The caller has already accepted the sender as the leader of
 * the current term.
 */
final class FollowerReplication {

    private final String id;
    private final RaftLog log;
    private final Outbox outbox;

    FollowerReplication(String id, RaftLog log, Outbox outbox) {
        this.id = id;
        this.log = log;
        this.outbox = outbox;
    }

    void onHeartbeat(Message m, long term) {
        log.commitTo(Math.min(m.commit(), log.lastIndex()));
        outbox.sendAfterPersist(Message.heartbeatResponse(id, m.from(), term, m.context()));
    }

    void onAppend(Message m, long term) {
        if (!isWellFormedAppend(m)) {
            return;
        }
        if (m.index() < log.committed()) {
            outbox.sendAfterPersist(Message.appendAccepted(id, m.from(), term, log.committed()));
            return;
        }
        if (log.matches(m.index(), m.logTerm())) {
            long lastNew = log.appendFromLeader(m.index(), m.entries());
            log.commitTo(Math.min(m.commit(), lastNew));
            outbox.sendAfterPersist(Message.appendAccepted(id, m.from(), term, lastNew));
            return;
        }
        boolean tooShort = m.index() > log.lastIndex();
        long hintTerm = tooShort ? 0 : log.term(m.index());
        long hintIndex = tooShort ? log.lastIndex() + 1 : log.firstIndexOfTermAt(m.index());
        outbox.sendAfterPersist(Message.appendRejected(id, m.from(), term, m.index(), hintTerm, hintIndex));
    }

    /** Returns the snapshot that replaced the log, for the runtime to install, or null if none did. */
    SnapshotMeta onSnapshot(Message m, long term) {
        SnapshotMeta meta = m.snapshotMeta();
        if (meta.index() <= log.committed()) {
            outbox.sendAfterPersist(Message.appendAccepted(id, m.from(), term, log.committed()));
            return null;
        }
        SnapshotMeta install = null;
        if (log.matches(meta.index(), meta.term())) {
            // We already hold the snapshot's last entry, so everything up to it matches: just learn the commit.
            log.commitTo(meta.index());
        } else {
            log.restore(meta);
            install = meta;
        }
        outbox.sendAfterPersist(Message.appendAccepted(id, m.from(), term, meta.index()));
        return install;
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
}
