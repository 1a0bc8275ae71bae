package io.raftx.it;

import io.grpc.Status;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the writers were told about each key they wrote. Thread-safe.
 *
 * <p>Only two answers are certain: an acknowledgement (the write is applied) and a RaftX refusal (definitely not
 * applied). Every other error is unknown, even UNAVAILABLE: gRPC also reports a connection that broke after the
 * request was sent as UNAVAILABLE, and the node may have applied it before it died.
 */
final class WriteLedger {

    enum Outcome { PENDING, ACKNOWLEDGED, REJECTED, UNKNOWN }

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<Status.Code, AtomicLong> errorCodes = new ConcurrentHashMap<>();
    private final AtomicLong acknowledged = new AtomicLong();

    void attempting(String key) {
        if (outcomes.putIfAbsent(key, Outcome.PENDING) != null) {
            throw new IllegalStateException("key " + key + " written twice: writers must never rewrite a key");
        }
    }

    void acknowledged(String key) {
        outcomes.put(key, Outcome.ACKNOWLEDGED);
        acknowledged.incrementAndGet();
    }

    void failed(String key, Status status) {
        errorCodes.computeIfAbsent(status.getCode(), c -> new AtomicLong()).incrementAndGet();
        outcomes.put(key, isRaftxRefusal(status) ? Outcome.REJECTED : Outcome.UNKNOWN);
    }

    /**
     * The etcd API maps RaftX's definitely-not-applied errors to UNAVAILABLE with the error's message, and those
     * messages say "not applied". gRPC's own UNAVAILABLE (connection refused or reset) never does; anything else
     * counts as unknown, which can only weaken the check, never fail it wrongly.
     */
    static boolean isRaftxRefusal(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() != null
                && status.getDescription().contains("not applied");
    }

    long acknowledgedCount() {
        return acknowledged.get();
    }

    boolean attempted(String key) {
        return outcomes.containsKey(key);
    }

    Set<String> keys(Outcome outcome) {
        return outcomes.entrySet().stream().filter(e -> e.getValue() == outcome).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    String summary() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        outcomes.values().forEach(o -> counts.merge(o, 1L, Long::sum));
        Map<Status.Code, Long> codes = new TreeMap<>();
        errorCodes.forEach((c, n) -> codes.put(c, n.get()));
        return outcomes.size() + " writes " + counts + ", errors by code " + codes;
    }
}
