package io.raftx.sim;

import io.raftx.raft.DurableEntries;
import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node's stable storage: the only thing that survives a crash. Writes are atomic (one commit + fsync). It holds
 * the hard state, the latest snapshot and the log; the log may still hold entries the snapshot covers until the
 * runtime compacts them.
 */
public final class SimStorage implements DurableEntries {

    private HardState hardState = HardState.EMPTY;
    /** The hard state as of the last synced write: what a crash goes back to (unsynced commit indexes are lost). */
    private HardState syncedHardState = HardState.EMPTY;
    private SimSnapshot snapshot;
    /** Index of the entry before {@code log.get(0)}. */
    private long offset;
    private final List<Entry> log = new ArrayList<>();

    public HardState hardState() {
        return hardState;
    }

    public SimSnapshot snapshot() {
        return snapshot;
    }

    public long snapshotIndex() {
        return snapshot == null ? 0 : snapshot.index();
    }

    public List<Entry> log() {
        return Collections.unmodifiableList(log);
    }

    public long lastIndex() {
        return Math.max(offset + log.size(), snapshotIndex());
    }

    /** The stored entry at {@code index}, or null (compacted, or beyond the end). */
    public Entry entry(long index) {
        return index > offset && index <= offset + log.size() ? log.get((int) (index - offset - 1)) : null;
    }

    /** What the core reads back once entries left its memory; fails, as a real storage would, for missing ones. */
    @Override
    public List<Entry> entries(long from, long toInclusive, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= toInclusive; i++) {
            Entry e = entry(i);
            if (e == null) {
                throw new IllegalStateException("the core asked for entry " + i + ", which this storage does not hold ("
                        + (offset + 1) + ".." + (offset + log.size()) + ")");
            }
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Term at {@code index}, including the snapshot's last entry; 0 if unknown. */
    public long term(long index) {
        Entry e = entry(index);
        if (e != null) {
            return e.term();
        }
        return snapshot != null && index == snapshot.index() ? snapshot.meta().term() : 0;
    }

    /** Applies one Ready's durable part: appending entries replaces stored entries at the same or higher indexes. */
    void write(HardState newHardState, List<Entry> entries) {
        if (!entries.isEmpty()) {
            long first = entries.get(0).index();
            if (first <= offset || first > offset + log.size() + 1) {
                throw new IllegalStateException("write at " + first + " does not fit the stored log (" + (offset + 1)
                        + ".." + (offset + log.size()) + ")");
            }
            log.subList((int) (first - offset - 1), log.size()).clear();
            log.addAll(entries);
        }
        if (newHardState != null) {
            hardState = newHardState;
        }
        syncedHardState = hardState; // a synced write makes everything written before it durable too
    }

    /** A commit-index-only hard state written without a sync (see {@code Ready.mustSync}). */
    void writeUnsynced(HardState newHardState) {
        if (newHardState.term() != hardState.term() || !java.util.Objects.equals(newHardState.votedFor(),
                hardState.votedFor())) {
            throw new IllegalStateException("unsynced write of a new term or vote: " + newHardState + " over " + hardState);
        }
        hardState = newHardState;
    }

    /** The process died: writes that were never synced are gone. */
    void crashed() {
        hardState = syncedHardState;
    }

    /** The state machine saved a snapshot; the log is untouched until {@link #compact}. */
    void saveSnapshot(SimSnapshot s) {
        snapshot = s;
    }

    /** Drops stored entries up to {@code upTo} (covered by the snapshot). */
    void compact(long upTo) {
        long drop = Math.min(upTo, offset + log.size()) - offset;
        if (drop > 0) {
            log.subList(0, (int) drop).clear();
            offset += drop;
        }
        syncedHardState = hardState; // one commit + fsync with whatever was staged, as the real storage does
    }

    /** A snapshot from the leader replaces the state machine and the whole log. */
    void installSnapshot(SimSnapshot s) {
        snapshot = s;
        log.clear();
        offset = s.index();
        syncedHardState = hardState;
    }

    /** What a restarted node recovers: its state machine restarts from the snapshot, so that much is applied. */
    RestoredState restore() {
        if (snapshot == null) {
            return new RestoredState(hardState, List.copyOf(log), 0);
        }
        List<Entry> after = log.stream().filter(e -> e.index() > snapshot.index()).toList();
        return new RestoredState(hardState, snapshot.meta(), after, snapshot.index());
    }
}
