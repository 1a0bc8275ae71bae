package io.raftx.spring.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.raftx.spring.core.RaftxRequestObserver;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every {@code RaftxTemplate} request: {@code raftx.proposals} for writes and {@code raftx.reads} for reads,
 * tagged with the operation and the outcome ({@code success}, {@code invalid}, {@code not_applied},
 * {@code unknown}); reads also with their consistency. Each timer's count is the number of requests with that
 * outcome.
 */
public class MicrometerRaftxRequestObserver implements RaftxRequestObserver {

    private final MeterRegistry registry;
    private final Tags nodeTags;
    /** The observer runs on the Raft event loop: a map hit is cheaper than a registry lookup. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public MicrometerRaftxRequestObserver(MeterRegistry registry, String nodeId) {
        this.registry = registry;
        this.nodeTags = Tags.of("node", nodeId);
    }

    @Override
    public void requestCompleted(CompletedRequest request) {
        TimerKey key = new TimerKey(request.operation(), request.write(),
                request.consistency() == null ? "none" : request.consistency().name(), request.outcome());
        timers.computeIfAbsent(key, this::timer).record(request.durationNanos(), TimeUnit.NANOSECONDS);
    }

    private Timer timer(TimerKey key) {
        Tags tags = nodeTags.and("operation", key.operation())
                .and("outcome", key.outcome().name().toLowerCase(Locale.ROOT));
        if (key.write()) {
            return Timer.builder("raftx.proposals")
                    .description("Writes through RaftxTemplate, from call to applied (or failed)")
                    .tags(tags).register(registry);
        }
        return Timer.builder("raftx.reads")
                .description("Reads through RaftxTemplate, by consistency")
                .tags(tags.and("consistency", key.consistency().toLowerCase(Locale.ROOT)))
                .register(registry);
    }

    private record TimerKey(String operation, boolean write, String consistency, Outcome outcome) {
    }
}
