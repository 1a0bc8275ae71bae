package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * This node's TTL deadlines, in its own logical ticks. Every node keeps them (so a new leader knows what to expire)
 * but only the active leader acts on them, by proposing expiry ops; followers never expire anything themselves.
 *
 * <p>A deadline is started when the op that set the TTL is applied here and is tied to that op's index (the
 * version). Deadlines whose key or member has since changed are dropped lazily, when they fall due.
 */
final class TtlTracker {

    /** A key (member null) or a set member whose TTL started with the op at {@code version}, due at tick {@code at}. */
    record Deadline(long at, String key, String member, long version) {
    }

    private record Target(String key, String member) {
    }

    private static final Comparator<Deadline> BY_TIME = Comparator.comparingLong(Deadline::at)
            .thenComparing(Deadline::key)
            .thenComparing(Deadline::member, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(Deadline::version);

    private final TreeSet<Deadline> byTime = new TreeSet<>(BY_TIME);
    private final Map<Target, Deadline> byTarget = new HashMap<>();
    private long now;

    void tick() {
        now++;
    }

    long now() {
        return now;
    }

    int size() {
        return byTarget.size();
    }

    /** Starts (or restarts) the TTL of a key or member set by the op at {@code version}. */
    void start(String key, String member, long version, long ttlTicks) {
        cancel(key, member);
        Deadline d = new Deadline(now + ttlTicks, key, member, version);
        byTime.add(d);
        byTarget.put(new Target(key, member), d);
    }

    /** Forgets the deadline of a key or member that was rewritten without a TTL or removed. */
    void cancel(String key, String member) {
        Deadline old = byTarget.remove(new Target(key, member));
        if (old != null) {
            byTime.remove(old);
        }
    }

    /** Deadlines that have passed, earliest first. */
    List<Deadline> due() {
        List<Deadline> out = new ArrayList<>();
        for (Deadline d : byTime) {
            if (d.at() > now) {
                break;
            }
            out.add(d);
        }
        return out;
    }

    void drop(Deadline d) {
        if (byTime.remove(d)) {
            byTarget.remove(new Target(d.key(), d.member()), d);
        }
    }

    /** Remaining ticks of every live deadline, for an in-memory snapshot. */
    List<VolatileSnapshot.Ttl> remaining(VolatileStore store) {
        List<VolatileSnapshot.Ttl> out = new ArrayList<>();
        for (Deadline d : byTime) {
            if (store.holds(d.key(), d.member(), d.version())) {
                out.add(new VolatileSnapshot.Ttl(d.key(), d.member(), d.version(), Math.max(0, d.at() - now)));
            }
        }
        return out;
    }

    /** Replaces every deadline with those of a snapshot, counted from now. */
    void restore(List<VolatileSnapshot.Ttl> ttls) {
        byTime.clear();
        byTarget.clear();
        for (VolatileSnapshot.Ttl t : ttls) {
            start(t.key(), t.member(), t.version(), t.remainingTicks());
        }
    }

    @Override
    public String toString() {
        return "TtlTracker{now=" + now + " deadlines=" + byTarget.size() + "}";
    }
}
