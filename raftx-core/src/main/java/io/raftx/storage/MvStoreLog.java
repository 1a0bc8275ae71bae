package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.storage.RecordCodec.CorruptRecordException;
import io.raftx.storage.RecordCodec.LogStart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of an {@link MvStoreRaftStorage} (entry index to entry record, in {@link LogSegments}) and the bookkeeping
 * around it: where the log starts and ends and the terms at both ends. Not thread-safe: the storage calls it under
 * its lock.
 */
final class MvStoreLog {

    private final Path file;
    private final LogSegments log;
    private final MvStoreFailure failure;

    private long firstIndex;
    private long prevTerm;
    private long lastIndex;
    private long lastTerm;

    /**
     * Loads the bookkeeping from the map. With {@code verifyAll}, every record is read and checked, which is what it
     * takes to find out whether a crash left a damaged commit.
     */
    MvStoreLog(Path file, LogSegments log, LogStart start, boolean verifyAll, MvStoreFailure failure) {
        this.file = file;
        this.log = log;
        this.failure = failure;
        firstIndex = start.firstIndex();
        prevTerm = start.prevTerm();
        Long lastKey = log.lastKey();
        lastIndex = lastKey == null || lastKey < firstIndex ? firstIndex - 1 : lastKey;
        Long firstKey = log.firstKey();
        if (verifyAll && firstKey != null) {
            // the truncated prefix still on disk too: a damaged page there matters as much
            scan(firstKey, Math.min(lastKey, firstIndex - 1), Long.MAX_VALUE, false, null);
        }
        if (lastIndex >= firstIndex) {
            if (!log.containsAll(firstIndex, lastIndex)) {
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
            log.removeRange(start, lastIndex); // a conflicting suffix, and the keys this run rewrites
            Long highest = log.lastKey();
            if (highest != null && highest >= start) {
                throw new IllegalStateException("log key " + highest + " is in the way of appending from " + start);
            }
            log.append(start, records);
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
            // keys above the snapshot go now (a snapshot behind the log's start: the prefix keys above it too); the
            // ones up to it are behind the new start and go with their segments
            log.removeRange(index + 1, Math.max(lastIndex, firstIndex - 1));
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
     * Drops up to {@code max} of the segments that hold only keys below the log's start (see {@link LogSegments});
     * staged like any change, so the next commit makes it durable. The commit that follows a drop frees the chunks
     * the segment's pages held (about one per group commit that wrote to it), which is most of a drop's cost: one
     * segment per commit spreads a snapshot's compaction over the next commits instead of stalling one.
     */
    void removeGarbage(int max) {
        try {
            log.dropBelow(firstIndex, max);
        } catch (RuntimeException e) {
            throw failure.fail("dropping the log's truncated prefix", e);
        }
    }

    private static byte[][] encode(List<Entry> entries) {
        byte[][] records = new byte[entries.size()][];
        for (int i = 0; i < records.length; i++) {
            records[i] = RecordCodec.encodeEntry(entries.get(i));
        }
        return records;
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
        long[] expected = {from};
        long[] bytes = {0};
        boolean[] full = {false};
        try {
            log.scan(from, toInclusive, (index, record) -> {
                if (contiguous && index != expected[0]) {
                    throw corrupt("log entry " + expected[0] + " is missing", null);
                }
                Entry e = decode(index, record);
                bytes[0] += e.sizeBytes();
                if (expected[0] != from && bytes[0] > maxBytes) {
                    full[0] = true; // the first entry is returned whatever its size
                    return false;
                }
                if (out != null) {
                    out.add(e);
                }
                expected[0] = index + 1;
                return true;
            });
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("reading entries [" + from + ", " + toInclusive + "] failed: " + e, e);
        }
        if (contiguous && !full[0] && expected[0] != toInclusive + 1) {
            throw corrupt("log entry " + expected[0] + " is missing", null);
        }
    }

    /** How many keys the segments hold, the truncated prefix not yet dropped included. */
    long storedKeys() {
        return log.size();
    }

    private StorageException corrupt(String what, Throwable cause) {
        return MvStoreFile.corrupt(file, what, cause);
    }
}
