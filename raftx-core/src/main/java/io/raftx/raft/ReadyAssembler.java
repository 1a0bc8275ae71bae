package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects what {@link Raft} wants done into one {@link Ready} at a time and records what the runtime confirmed:
 * the hard state last persisted, and that a Ready is outstanding until {@link Raft#advance(Ready)}. Decides which
 * messages must wait for the persist and whether the persist needs an fsync.
 */
final class ReadyAssembler {

    private final RaftLog log;
    private final Outbox outbox;
    private final ProposalTracker proposals;
    private final List<ReadState> readStates = new ArrayList<>();
    private HardState persistedHardState;
    /** A snapshot from the leader that replaced our log; the runtime installs it with the next Ready. */
    private SnapshotMeta snapshotToInstall;
    private boolean outstanding;

    ReadyAssembler(RaftLog log, Outbox outbox, ProposalTracker proposals, HardState persisted) {
        this.log = log;
        this.outbox = outbox;
        this.proposals = proposals;
        this.persistedHardState = persisted;
    }

    void addReads(List<ReadState> reads) {
        readStates.addAll(reads);
    }

    void install(SnapshotMeta snapshot) {
        snapshotToInstall = snapshot;
    }

    void requireAdvanced() {
        if (outstanding) {
            throw new IllegalStateException("advance(ready) must be called before asking for the next Ready");
        }
    }

    /** True if a Ready built now for {@code current} would not be empty (the leader's own work aside). */
    boolean hasWork(HardState current) {
        return !outbox.isEmpty()
                || snapshotToInstall != null
                || !current.equals(persistedHardState)
                || log.hasUnpersisted()
                || log.committed() > log.applied() && log.persisted() > log.applied()
                || !readStates.isEmpty();
    }

    /** The next Ready; the caller checked {@link #requireAdvanced} before changing any state for it. */
    Ready assemble(HardState current) {
        HardState changed = current.equals(persistedHardState) ? null : current;
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
        List<Entry> committed = log.committedToApply(Ready.MAX_COMMITTED_ENTRIES);
        long appliedUpTo = committed.isEmpty() ? log.applied() : committed.get(committed.size() - 1).index();
        outstanding = true;
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

    /** Records what the runtime did for {@code ready}. Returns true if it persisted entries. */
    boolean advance(Ready ready) {
        outstanding = false;
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        boolean persistedEntries = !ready.entries().isEmpty();
        if (persistedEntries) {
            Entry last = ready.entries().get(ready.entries().size() - 1);
            log.persistedTo(last.index(), last.term());
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).index());
        }
        return persistedEntries;
    }
}
