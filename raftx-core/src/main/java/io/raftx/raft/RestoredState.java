package io.raftx.raft;

import java.util.List;

/**
 * What a node recovered from stable storage when it starts: its hard state, the latest snapshot (null if none),
 * its log (contiguous, starting right after the snapshot, or at index 1) and the index its state machine has
 * already applied durably (at least the snapshot's index once the snapshot is restored; 0 for an in-memory state
 * machine without snapshot).
 */
public record RestoredState(HardState hardState, SnapshotMeta snapshot, List<Entry> log, long appliedIndex) {

    public static final RestoredState EMPTY = new RestoredState(HardState.EMPTY, List.of(), 0);

    public RestoredState(HardState hardState, List<Entry> log, long appliedIndex) {
        this(hardState, null, log, appliedIndex);
    }

    public RestoredState {
        log = List.copyOf(log);
        long first = snapshot == null ? 1 : snapshot.index() + 1;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).index() != first + i) {
                throw new IllegalArgumentException("restored log must be contiguous from index " + first
                        + "; position " + i + " holds index " + log.get(i).index());
            }
        }
        long last = first - 1 + log.size();
        if (hardState.commit() > last) {
            throw new IllegalArgumentException("restored commit index " + hardState.commit()
                    + " is beyond the restored log's last index " + last);
        }
    }
}
