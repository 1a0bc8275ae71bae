package io.raftx.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations found in the log, by index, over a base configuration (bootstrap or snapshot). The latest
 * one is in effect even if uncommitted; truncating its entry reverts to the one before.
 */
final class MembershipLog {

    private Membership base;
    private final TreeMap<Long, Membership> byIndex = new TreeMap<>();

    MembershipLog(Membership base) {
        this.base = base;
    }

    Membership current() {
        return byIndex.isEmpty() ? base : byIndex.lastEntry().getValue();
    }

    /** Index of the latest configuration entry, 0 if the current configuration comes from the base. */
    long currentIndex() {
        return byIndex.isEmpty() ? 0 : byIndex.lastKey();
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
        }
        byIndex.headMap(index, true).clear();
    }

    /** The configuration as of {@code index} (for a snapshot taken there). */
    Membership at(long index) {
        Map.Entry<Long, Membership> e = byIndex.floorEntry(index);
        return e == null ? base : e.getValue();
    }

    void reset(Membership newBase) {
        base = newBase;
        byIndex.clear();
    }
}
