package io.raftx.raft;

import java.util.List;

/**
 * What a node recovered from stable storage when it starts: its hard state, its log (contiguous, starting at
 * index 1) and the index its state machine has already applied durably (0 for an in-memory state machine).
 */
public record RestoredState(HardState hardState, List<Entry> log, long appliedIndex) {

    public static final RestoredState EMPTY = new RestoredState(HardState.EMPTY, List.of(), 0);

    public RestoredState {
        log = List.copyOf(log);
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).index() != i + 1) {
                throw new IllegalArgumentException("restored log must be contiguous from index 1; position " + i
                        + " holds index " + log.get(i).index());
            }
        }
        if (hardState.commit() > log.size()) {
            throw new IllegalArgumentException("restored commit index " + hardState.commit()
                    + " is beyond the restored log's last index " + log.size());
        }
    }
}
