package io.raftx.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations found in the log, by index, over a base configuration (bootstrap or snapshot). The latest
 * one is in effect even if uncommitted; truncating its entry reverts to the one before.
 */
final class MembershipLog {

    private Membership base;
    /**
     * Index at or after which the base configuration was in effect: 0 for the bootstrap configuration, else the
     * compacted configuration entry's index or the snapshot's index. Kept so that "has this follower seen the
     * latest configuration?" stays answerable after the entry itself was compacted away.
     */
    private long baseIndex;
    private final TreeMap<Long, Membership> byIndex = new TreeMap<>();

    MembershipLog(Membership base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    Membership current() {
        return byIndex.isEmpty() ? base : byIndex.lastEntry().getValue();
    }

    /** Index of the latest configuration entry (or of the snapshot / compacted entry the base came from). */
    long currentIndex() {
        return byIndex.isEmpty() ? baseIndex : byIndex.lastKey();
    }

    /** True if a configuration entry lies in {@code (after, upTo]}. */
    boolean anyIn(long after, long upTo) {
        return upTo > after && (after < baseIndex && baseIndex <= upTo || !byIndex.subMap(after, false, upTo, true).isEmpty());
    }

    void appended(Entry e) {
        if (e.type() == EntryType.CONFIG) {
            byIndex.put(e.index(), Membership.decode(e.data()));
        }
    }

    void truncatedFrom(long index) {
        byIndex.tailMap(index, true).clear();
    }

    /** Entries up to {@code index} are compacted into a snapshot: fold their configurations into the base. */
    void compactedTo(long index) {
        Map.Entry<Long, Membership> last = byIndex.floorEntry(index);
        if (last != null) {
            base = last.getValue();
            baseIndex = last.getKey();
        }
        byIndex.headMap(index, true).clear();
    }

    /** The configuration as of {@code index} (for a snapshot taken there). */
    Membership at(long index) {
        Map.Entry<Long, Membership> e = byIndex.floorEntry(index);
        return e == null ? base : e.getValue();
    }

    void reset(Membership newBase, long snapshotIndex) {
        base = newBase;
        baseIndex = snapshotIndex;
        byIndex.clear();
    }
}
