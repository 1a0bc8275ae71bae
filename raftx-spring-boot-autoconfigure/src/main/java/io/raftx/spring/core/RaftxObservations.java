package io.raftx.spring.core;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import org.springframework.dao.DataAccessException;

/**
 * Template requests as Micrometer observations named {@value #NAME} (a timer {@code raftx.request} with Boot's
 * metrics, a span {@code raftx <operation>} with a tracer). Only low-cardinality key values: the operation, whether
 * it was a write, the read consistency and the outcome; keys and values are never recorded.
 */
final class RaftxObservations {

    static final String NAME = "raftx.request";

    private final ObservationRegistry registry;

    RaftxObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** @return the started observation, or null when nothing observes (no registry, or a no-op one) */
    Started start(RaftxCall<?, ?> call) {
        if (registry.isNoop()) {
            return null;
        }
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("raftx " + call.operation())
                .lowCardinalityKeyValues(KeyValues.of(
                        "raftx.operation", call.operation(),
                        "raftx.kind", call.write() ? "write" : "read",
                        "raftx.consistency", call.consistency() == null ? "none"
                                : call.consistency().name().toLowerCase(Locale.ROOT)))
                .start();
        return new Started(observation);
    }

    static final class Started {

        private final Observation observation;

        private Started(Observation observation) {
            this.observation = observation;
        }

        void stop(RaftxRequestObserver.Outcome outcome, DataAccessException failure) {
            observation.lowCardinalityKeyValue("raftx.outcome", outcome.name().toLowerCase(Locale.ROOT));
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
