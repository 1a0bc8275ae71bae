package io.raftx.storage;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log's keys (entry index to record), spread over MVStore maps of about {@code segmentEntries} consecutive
 * indexes each: {@code raftx.log.1}, {@code raftx.log.2}, ... (a file written before segments has all its keys in
 * {@code raftx.log}, which is read as the first segment). A truncated prefix goes by removing whole maps: MVStore
 * counts a removed map's pages as dead without reading them, so dropping a prefix after a snapshot costs the same
 * however long the log was, and nothing live is copied. (With one map, the prefix had to be deleted key by key, which
 * reads every page, or the live entries copied into an emptied map: a 10,000-entry copy stalled a loaded node's loop
 * for 170-340 ms on every snapshot.) Keys below the log's start in the segment that holds the start stay until
 * that whole segment is behind the start.
 *
 * <p>Segments hold disjoint, ascending key ranges; an empty segment is removed. Not thread-safe: the storage calls it
 * under its lock, which also makes each map single-writer.
 */
final class LogSegments {

    static final String LEGACY_NAME = "raftx.log";
    private static final String PREFIX = LEGACY_NAME + ".";

    private final MVStore store;
    private final int segmentEntries;
    /** The non-empty segments by their first key (at creation, or at open). */
    private final TreeMap<Long, MVMap<Long, byte[]>> segments = new TreeMap<>();
    private long nextNumber = 1;

    /** Opens every log map in {@code store}; throws {@link IllegalStateException} if two hold overlapping keys. */
    LogSegments(MVStore store, int segmentEntries) {
        if (segmentEntries < 1) {
            throw new IllegalArgumentException("segmentEntries must be at least 1, got " + segmentEntries);
        }
        this.store = store;
        this.segmentEntries = segmentEntries;
        List<MVMap<Long, byte[]>> maps = new ArrayList<>();
        for (String name : names(store)) {
            if (name.startsWith(PREFIX)) {
                nextNumber = Math.max(nextNumber, Long.parseLong(name.substring(PREFIX.length())) + 1);
            }
            MVMap<Long, byte[]> map = open(store, name);
            if (!map.isEmpty()) {
                maps.add(map);
            }
        }
        maps.sort(Comparator.comparing(MVMap::firstKey));
        Long previousLast = null;
        for (MVMap<Long, byte[]> map : maps) {
            if (previousLast != null && map.firstKey() <= previousLast) { // also two maps starting at one key
                throw new IllegalStateException("log maps overlap at key " + map.firstKey());
            }
            previousLast = map.lastKey();
            segments.put(map.firstKey(), map);
        }
    }

    /** The names of the log's maps in {@code store}. */
    static List<String> names(MVStore store) {
        List<String> names = new ArrayList<>();
        for (String name : store.getMapNames()) {
            if (name.equals(LEGACY_NAME) || name.startsWith(PREFIX) && isNumber(name.substring(PREFIX.length()))) {
                names.add(name);
            }
        }
        return names;
    }

    static MVMap<Long, byte[]> open(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<Long, byte[]>().singleWriter()
                .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 19;
    }

    Long firstKey() {
        return segments.isEmpty() ? null : segments.firstEntry().getValue().firstKey();
    }

    Long lastKey() {
        return segments.isEmpty() ? null : segments.lastEntry().getValue().lastKey();
    }

    byte[] get(long key) {
        Map.Entry<Long, MVMap<Long, byte[]>> e = segments.floorEntry(key);
        return e == null ? null : e.getValue().get(key);
    }

    /** How many keys all segments hold. */
    long size() {
        long n = 0;
        for (MVMap<Long, byte[]> map : segments.values()) {
            n += map.sizeAsLong();
        }
        return n;
    }

    int segmentCount() {
        return segments.size();
    }

    /** Whether every key in {@code [from, to]} is present ({@code from <= to}). */
    boolean containsAll(long from, long to) {
        long expected = from; // the next key that must be found
        for (MVMap<Long, byte[]> map : overlapping(from, to)) {
            long lo = Math.max(from, map.firstKey());
            long hi = Math.min(to, map.lastKey());
            if (lo != expected) {
                return false;
            }
            long loPos = map.getKeyIndex(lo);
            long hiPos = map.getKeyIndex(hi);
            if (loPos < 0 || hiPos < 0 || hiPos - loPos != hi - lo) {
                return false;
            }
            expected = hi + 1;
        }
        return expected == to + 1;
    }

    /** Visits the keys in {@code [from, to]} in ascending order until {@code visitor} returns false. */
    void scan(long from, long to, Visitor visitor) {
        for (MVMap<Long, byte[]> map : overlapping(from, to)) {
            Cursor<Long, byte[]> cursor = map.cursor(from, to, false);
            while (cursor.hasNext()) {
                long key = cursor.next();
                if (!visitor.visit(key, cursor.getValue())) {
                    return;
                }
            }
        }
    }

    interface Visitor {
        boolean visit(long key, byte[] value);
    }

    /**
     * Appends a run of records from {@code start}, above every key. Each map gathers its part in append mode and
     * inserts it into its last leaf at once, instead of copying the leaf and its parents once per entry.
     */
    void append(long start, byte[][] records) {
        MVMap<Long, byte[]> current = null;
        for (int i = 0; i < records.length; i++) {
            long key = start + i;
            Map.Entry<Long, MVMap<Long, byte[]>> last = segments.lastEntry();
            MVMap<Long, byte[]> target;
            if (last != null && key - last.getKey() < segmentEntries) {
                target = last.getValue();
            } else {
                target = open(store, PREFIX + nextNumber++);
                segments.put(key, target);
            }
            if (target != current && current != null) {
                current.flushAndGetRoot();
            }
            current = target;
            current.append(key, records[i]);
        }
        if (current != null) {
            current.flushAndGetRoot();
        }
    }

    /** Removes the keys in {@code [from, to]}; whole segments inside the range go as maps. */
    void removeRange(long from, long to) {
        if (from > to) {
            return;
        }
        for (MVMap<Long, byte[]> map : overlapping(from, to)) {
            if (map.firstKey() >= from && map.lastKey() <= to) {
                drop(map);
                continue;
            }
            List<Long> keys = new ArrayList<>();
            Cursor<Long, byte[]> cursor = map.cursor(from, to, false);
            while (cursor.hasNext()) {
                keys.add(cursor.next());
            }
            for (Long key : keys) {
                map.remove(key);
            }
        }
    }

    /** Removes up to {@code max} of the segments whose keys are all below {@code index}; returns how many went. */
    int dropBelow(long index, int max) {
        int dropped = 0;
        while (dropped < max && !segments.isEmpty() && segments.firstEntry().getValue().lastKey() < index) {
            drop(segments.firstEntry().getValue());
            dropped++;
        }
        return dropped;
    }

    private void drop(MVMap<Long, byte[]> map) {
        segments.values().remove(map);
        store.removeMap(map);
    }

    /** The segments holding keys in {@code [from, to]}, ascending; a copy, so callers may drop them. */
    private List<MVMap<Long, byte[]>> overlapping(long from, long to) {
        Long start = segments.floorKey(from);
        List<MVMap<Long, byte[]>> out = new ArrayList<>(2);
        for (MVMap<Long, byte[]> map : segments.subMap(start == null ? from : start, true, to, true).values()) {
            if (map.lastKey() >= from) {
                out.add(map);
            }
        }
        return out;
    }
}
