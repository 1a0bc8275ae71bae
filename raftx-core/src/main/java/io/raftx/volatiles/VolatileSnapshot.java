package io.raftx.volatiles;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's whole applied volatile keyspace at position ({@code index}, {@code epoch}) — the op at {@code index} and
 * its epoch — with the remaining TTL of every live deadline as the sender counted it. Lives in memory only; it
 * travels to a node that is too far behind for the ring buffer to replay.
 */
public record VolatileSnapshot(long index, long epoch, SortedMap<String, VolatileValue> entries, List<Ttl> ttls) {

    /** The remaining time to live of a key (member null) or set member whose TTL started with the op at {@code version}. */
    public record Ttl(String key, String member, long version, long remainingTicks) {
        public Ttl {
            Objects.requireNonNull(key, "key");
            if (remainingTicks < 0 || version < 1) {
                throw new IllegalArgumentException("bad TTL entry for " + key + ": version " + version
                        + ", remaining " + remainingTicks);
            }
        }
    }

    public VolatileSnapshot {
        if (index < 0 || epoch < 0 || (index == 0) != (epoch == 0)) {
            throw new IllegalArgumentException("bad snapshot position " + index + "@" + epoch);
        }
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
        ttls = List.copyOf(ttls);
    }

    @Override
    public String toString() {
        return "VolatileSnapshot{" + index + "@" + epoch + " keys=" + entries.size() + " ttls=" + ttls.size() + "}";
    }
}
