package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code raftx.log} map of an {@link MvStoreRaftStorage} (entry index to entry record) and the bookkeeping
 * around it: where the log starts and ends, the terms at both ends, and the truncated prefix still to be deleted.
 * Not thread-safe: the storage calls it under its lock, which also makes the map single-writer.
 */
final class MvStoreLog {

    /** A rebuild (see {@link #removeGarbage}) copies at most this many live entries, and by default bytes. */
    private static final int MAX_REBUILD_ENTRIES = 1 << 18;
    static final long MAX_REBUILD_BYTES = 64L << 20;

    private final Path file;
    private final MVMap<Long, byte[]> log;
    private final MvStoreFailure failure;
    private final long maxRebuildBytes;

    private long firstIndex;
    private long prevTerm;
    private long lastIndex;
    private long lastTerm;
    /** Keys in {@code [garbageFrom, firstIndex)} may still exist and are to be deleted. */
    private long garbageFrom;
    /** The log start at which a rebuild found the live records too large. */
    private long rebuildRefusedAt = -1;

    /**
     * Loads the bookkeeping from the map. With {@code verifyAll}, every record is read and checked, which is what it
     * takes to find out whether a crash left a damaged commit.
     */
    MvStoreLog(Path file, MVMap<Long, byte[]> log, LogStart start, boolean verifyAll, MvStoreFailure failure,
               long maxRebuildBytes) {
        this.file = file;
        this.log = log;
        this.failure = failure;
        this.maxRebuildBytes = maxRebuildBytes;
        firstIndex = start.firstIndex();
        prevTerm = start.prevTerm();
        Long lastKey = log.lastKey();
        lastIndex = lastKey == null || lastKey < firstIndex ? firstIndex - 1 : lastKey;
        Long firstKey = log.firstKey();
        garbageFrom = firstKey == null ? firstIndex : Math.min(firstKey, firstIndex);
        if (verifyAll && firstKey != null) {
            // the truncated prefix still on disk too: a damaged page there matters as much
            scan(firstKey, Math.min(lastKey, firstIndex - 1), Long.MAX_VALUE, false, null);
        }
        if (lastIndex >= firstIndex) {
            long firstPos = log.getKeyIndex(firstIndex);
            long lastPos = log.getKeyIndex(lastIndex);
            if (firstPos < 0 || lastPos - firstPos != lastIndex - firstIndex) {
                throw corrupt("the log [" + firstIndex + ", " + lastIndex + "] has missing entries", null);
            }
            if (verifyAll) {
                scan(firstIndex, lastIndex, Long.MAX_VALUE, true, null);
            }
            lastTerm = read(lastIndex).term();
        } else {
            lastTerm = prevTerm;
        }
    }

    long firstIndex() {
        return firstIndex;
    }

    long lastIndex() {
        return lastIndex;
    }

    long prevTerm() {
        return prevTerm;
    }

    /** Records a new start of the log, once its record is staged; the keys below it become garbage. */
    void startAt(long newFirst, long newPrevTerm) {
        firstIndex = newFirst;
        prevTerm = newPrevTerm;
    }

    void stageAppend(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        LogRules.checkAppend(entries, firstIndex, lastIndex, this::termOf);
        long start = entries.get(0).index();
        Entry tail = entries.get(entries.size() - 1);
        byte[][] records = encode(entries);
        try {
            for (long i = lastIndex; i >= start; i--) {
                log.remove(i); // a conflicting suffix, and the keys this run rewrites: append needs higher keys
            }
            Long highest = log.lastKey();
            if (highest != null && highest >= start) {
                throw new IllegalStateException("log key " + highest + " is in the way of appending from " + start);
            }
            appendRun(start, records);
        } catch (RuntimeException e) {
            throw failure.fail("staging an append", e);
        }
        lastIndex = tail.index();
        lastTerm = tail.term();
    }

    /**
     * Removes the keys a reset to a snapshot at {@code index} discards right away; {@link #resetTo} then records the
     * new bounds, once the new start's record is staged.
     */
    void removeForReset(long index) {
        try {
            // keys above the snapshot go now; the ones up to it with the prefix garbage
            for (long i = lastIndex; i > index && i >= firstIndex; i--) {
                log.remove(i);
            }
            if (index + 1 < firstIndex) {
                // a snapshot behind the log's start: prefix keys above it go now as well
                for (long i = Math.max(garbageFrom, index + 1); i < firstIndex; i++) {
                    log.remove(i);
                }
                garbageFrom = Math.min(garbageFrom, index + 1);
            }
        } catch (RuntimeException e) {
            throw failure.fail("staging a log reset", e);
        }
    }

    /** The log is now empty, right after the snapshot at {@code index}. */
    void resetTo(long index, long term) {
        startAt(index + 1, term);
        lastIndex = index;
        lastTerm = term;
    }

    /**
     * Deletes a truncated prefix: up to {@code max} keys, or all of it at once by rebuilding the map when the prefix
     * holds more keys than the live log. One {@code remove} copies the path from the root to its leaf (a few KiB of
     * pages); clearing the map drops whole pages without reading the leaves, so copying the live log into the cleared
     * map costs less than deleting a larger prefix key by key. After a snapshot the prefix is usually about nine
     * times the live log (see {@code SnapshotSettings}). The rebuild is staged like any change, so the next commit
     * makes it durable atomically.
     */
    void removeGarbage(int max) {
        long garbage = firstIndex - garbageFrom;
        if (garbage <= 0) {
            return;
        }
        long live = lastIndex - firstIndex + 1;
        if (garbage > live && live <= MAX_REBUILD_ENTRIES && rebuildRefusedAt != firstIndex) {
            if (rebuildWithin(maxRebuildBytes)) {
                garbageFrom = firstIndex;
                return;
            }
            rebuildRefusedAt = firstIndex; // too many bytes: key by key, without reading them again each commit
        }
        long end = Math.min(firstIndex, garbageFrom + max); // exclusive
        for (long i = garbageFrom; i < end; i++) {
            log.remove(i);
        }
        garbageFrom = end;
    }

    /**
     * Empties the map and appends the live entries back (read and checked like any read, re-encoded to the same
     * records). Gives up, changing nothing, if they hold more than {@code maxBytes}: they are held in memory meanwhile.
     */
    private boolean rebuildWithin(long maxBytes) {
        List<Entry> live = readRange(firstIndex, lastIndex, maxBytes);
        if (live.size() < lastIndex - firstIndex + 1) {
            return false;
        }
        byte[][] records = encode(live);
        try {
            log.clear();
            appendRun(firstIndex, records);
        } catch (RuntimeException e) {
            throw failure.fail("rebuilding the log map without its truncated prefix", e);
        }
        return true;
    }

    private static byte[][] encode(List<Entry> entries) {
        byte[][] records = new byte[entries.size()][];
        for (int i = 0; i < records.length; i++) {
            records[i] = RecordCodec.encodeEntry(entries.get(i));
        }
        return records;
    }

    /**
     * Appends a run of records from {@code start}, above every key in the map. Append mode (the map is single-writer:
     * all calls hold the storage's lock) gathers the run and inserts it into the last leaf at once, instead of
     * copying the leaf and its parents once per entry; the flush leaves the map in its ordinary state for everything
     * after.
     */
    private void appendRun(long start, byte[][] records) {
        for (int i = 0; i < records.length; i++) {
            log.append(start + i, records[i]);
        }
        log.flushAndGetRoot();
    }

    long termOf(long index) {
        LogRules.checkTermIndex(index, firstIndex, lastIndex);
        if (index == firstIndex - 1) {
            return prevTerm;
        }
        if (index == lastIndex) {
            return lastTerm;
        }
        return read(index).term();
    }

    Entry read(long index) {
        byte[] record;
        try {
            record = log.get(index);
        } catch (RuntimeException e) {
            throw corrupt("reading entry " + index + " failed: " + e, e);
        }
        return decode(index, record);
    }

    private Entry decode(long index, byte[] record) {
        try {
            return RecordCodec.decodeEntry(index, record);
        } catch (CorruptRecordException e) {
            throw corrupt("log entry " + index + " is damaged: " + e.getMessage(), null);
        }
    }

    List<Entry> readRange(long from, long toInclusive, long maxBytes) {
        List<Entry> out = new ArrayList<>((int) Math.min(1024, Math.max(0, toInclusive - from + 1)));
        scan(from, toInclusive, maxBytes, true, out);
        return out;
    }

    /**
     * Reads and checks the records in {@code [from, toInclusive]}, adding them to {@code out} (if not null) until
     * their size passes {@code maxBytes}. {@code contiguous}: every index in the range must be there.
     */
    private void scan(long from, long toInclusive, long maxBytes, boolean contiguous, List<Entry> out) {
        if (from > toInclusive) {
            return;
        }
        long expected = from;
        long bytes = 0;
        boolean first = true;
        try {
            Cursor<Long, byte[]> cursor = log.cursor(from, toInclusive, false);
            while (cursor.hasNext()) {
                long index = cursor.next();
                if (contiguous && index != expected) {
                    throw corrupt("log entry " + expected + " is missing", null);
                }
                Entry e = decode(index, cursor.getValue());
                bytes += e.sizeBytes();
                if (!first && bytes > maxBytes) {
                    return;
                }
                first = false;
                if (out != null) {
                    out.add(e);
                }
                expected = index + 1;
            }
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("reading entries [" + from + ", " + toInclusive + "] failed: " + e, e);
        }
        if (contiguous && expected != toInclusive + 1) {
            throw corrupt("log entry " + expected + " is missing", null);
        }
    }

    /** How many keys the map holds, the truncated prefix not yet deleted included. */
    long storedKeys() {
        return log.sizeAsLong();
    }

    private StorageException corrupt(String what, Throwable cause) {
        return MvStoreFile.corrupt(file, what, cause);
    }
}
