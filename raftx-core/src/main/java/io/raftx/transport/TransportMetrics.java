package io.raftx.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Mutable counters behind {@link TransportStats}. */
final class TransportMetrics {

    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder inboundRejected = new LongAdder();
    final LongAdder identityRefused = new LongAdder();
    final LongAdder streamFailures = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    TransportMetrics() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void dropped(DropReason reason, long n) {
        dropped.get(reason).add(n);
    }

    TransportStats snapshot(InboundBudget inbound) {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        dropped.forEach((r, a) -> d.put(r, a.sum()));
        return new TransportStats(sent.sum(), received.sum(), inboundRejected.sum(), identityRefused.sum(),
                streamFailures.sum(), d, inbound.bytes(), inbound.pauses.sum(), inbound.refusals.sum());
    }
}
