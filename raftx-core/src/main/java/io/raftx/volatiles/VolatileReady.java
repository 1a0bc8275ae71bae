package io.raftx.volatiles;

import java.util.List;

/**
 * Everything the volatile core produced since the last {@link VolatileReplica#ready()}. Nothing in here needs
 * persisting (nothing volatile ever touches disk); the runtime sends {@link #messages()} (in any order, any may be
 * lost), hands {@link #events()} to watchers in order, and completes clients from {@link #writeOutcomes()} and
 * {@link #readResults()}. {@link #applied()} is the applied history in order (ops, or snapshot installs) for
 * metrics and tests; the keyspace itself lives in the core.
 */
public record VolatileReady(List<VolatileMessage> messages, List<AppliedChange> applied, List<VolatileEvent> events,
                            List<WriteOutcome> writeOutcomes, List<ReadResult> readResults) {

    public boolean isEmpty() {
        return messages.isEmpty() && applied.isEmpty() && events.isEmpty() && writeOutcomes.isEmpty()
                && readResults.isEmpty();
    }
}
