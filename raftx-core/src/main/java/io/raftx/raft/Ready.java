package io.raftx.raft;

import java.util.List;

/**
 * Everything the core wants done after a batch of inputs. The runtime must:
 * <ol>
 *   <li>send {@link #eagerMessages()} at once (the leader's appends: the leader writes its own log in parallel);</li>
 *   <li>if {@link #snapshot()} is not null, install the snapshot the runtime received with it: restore the state
 *       machine from it and replace the stored log with an empty one that starts after the snapshot's index;</li>
 *   <li>durably persist {@link #hardState()} (if not null) and {@link #entries()} — appending entries replaces any
 *       stored entries at the same or higher indexes;</li>
 *   <li>only then send {@link #messages()} (vote grants and append acknowledgements promise persisted state);</li>
 *   <li>apply {@link #committedEntries()} in order, deliver {@link #outcomes()}, serve {@link #readStates()} once
 *       the applied index reaches theirs, and call {@link Raft#advance(Ready)}.</li>
 * </ol>
 * A Ready carries at most {@link #MAX_COMMITTED_ENTRIES} committed entries; the rest come with the next ones.
 */
public record Ready(HardState hardState, SnapshotMeta snapshot, List<Entry> entries, List<Message> eagerMessages, List<Message> messages,
                    List<Entry> committedEntries, List<ProposalOutcome> outcomes, List<ReadState> readStates,
                    boolean mustSync) {

    /**
     * Committed entries per Ready at most. A node restarted from a snapshot has up to a snapshot interval of entries
     * to apply again (100,000 by default); in one Ready that was one loop pass of 2.5-13.5 s on a just-started JVM
     * among nine on two cores, answering no peer. A runtime that handles Readies in a loop should let its inputs in
     * after a Ready that {@link #appliesFullChunk() applies a full chunk}.
     */
    public static final int MAX_COMMITTED_ENTRIES = 1024;

    /** True if this Ready carries as many committed entries as one may: more are probably waiting. */
    public boolean appliesFullChunk() {
        return committedEntries.size() >= MAX_COMMITTED_ENTRIES;
    }

    public boolean isEmpty() {
        return hardState == null && snapshot == null && entries.isEmpty() && eagerMessages.isEmpty() && messages.isEmpty()
                && committedEntries.isEmpty() && outcomes.isEmpty() && readStates.isEmpty();
    }
}
