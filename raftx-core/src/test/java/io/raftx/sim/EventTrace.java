package io.raftx.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The last few things that happened, for failure reports. Events are stored as (time, step, kind, subject) and
 * only formatted when a report is printed, because almost every run passes; subjects must therefore be immutable
 * (messages, strings, records).
 */
public final class EventTrace {

    private final long[] times;
    private final long[] steps;
    private final String[] kinds;
    private final Object[] subjects;
    private int next;
    private int size;
    private long step;

    EventTrace(int capacity) {
        times = new long[capacity];
        steps = new long[capacity];
        kinds = new String[capacity];
        subjects = new Object[capacity];
    }

    /** The step the following events belong to. */
    void setStep(long step) {
        this.step = step;
    }

    void add(long time, String kind, Object subject) {
        times[next] = time;
        steps[next] = step;
        kinds[next] = kind;
        subjects[next] = subject;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>(size);
        int start = (next - size + times.length) % times.length;
        for (int i = 0; i < size; i++) {
            int k = (start + i) % times.length;
            out.add(String.format("  t=%-7d step=%-7d %-9s %s", times[k], steps[k], kinds[k], subjects[k]));
        }
        return out;
    }
}
