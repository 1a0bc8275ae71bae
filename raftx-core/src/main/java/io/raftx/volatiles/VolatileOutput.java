package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.List;

/** Collects what the core produces until the runtime takes it with {@link VolatileReplica#ready()}. */
final class VolatileOutput {

    private List<VolatileMessage> messages = new ArrayList<>();
    private List<AppliedChange> applied = new ArrayList<>();
    private List<VolatileEvent> events = new ArrayList<>();
    private List<WriteOutcome> writeOutcomes = new ArrayList<>();
    private List<ReadResult> readResults = new ArrayList<>();

    void send(VolatileMessage m) {
        messages.add(m);
    }

    void applied(AppliedChange change) {
        applied.add(change);
    }

    void event(VolatileEvent e) {
        events.add(e);
    }

    void writeOutcome(WriteOutcome o) {
        writeOutcomes.add(o);
    }

    void readResult(ReadResult r) {
        readResults.add(r);
    }

    boolean isEmpty() {
        return messages.isEmpty() && applied.isEmpty() && events.isEmpty() && writeOutcomes.isEmpty()
                && readResults.isEmpty();
    }

    VolatileReady drain() {
        VolatileReady ready = new VolatileReady(messages, applied, events, writeOutcomes, readResults);
        messages = new ArrayList<>();
        applied = new ArrayList<>();
        events = new ArrayList<>();
        writeOutcomes = new ArrayList<>();
        readResults = new ArrayList<>();
        return ready;
    }
}
