package io.raftx.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations in milliseconds collected over repeated trials, with nearest-rank percentiles. */
final class Durations {

    private final List<Double> millis = new ArrayList<>();
    private int missing;

    void add(double ms) {
        millis.add(ms);
    }

    /** A trial where the event was not seen within the time limit. */
    void addMissing() {
        missing++;
    }

    int count() {
        return millis.size();
    }

    int missing() {
        return missing;
    }

    double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    double max() {
        return percentile(1.0);
    }

    /** {@code p50=... p99=... max=...} in whole milliseconds, plus how many trials saw nothing. */
    String summary() {
        return String.format(Locale.ROOT, "p50=%.0fms p99=%.0fms max=%.0fms n=%d%s", percentile(0.5), percentile(0.99),
                max(), count(), missing == 0 ? "" : " missing=" + missing);
    }
}
