package io.raftx.storage;

import io.raftx.raft.DurableEntries;
import io.raftx.raft.Entry;

import java.util.List;

/**
 * The Raft log: a contiguous run of entries {@code [firstIndex(), lastIndex()]}, possibly empty.
 *
 * <p>A fresh log has {@code firstIndex() == 1} and {@code lastIndex() == 0}. After {@link #truncatePrefix} (or
 * {@link #resetTo}) the entries before {@code firstIndex()} are gone, but the term of the entry just before it is
 * kept, so {@link #term(long) term(firstIndex() - 1)} is always answerable (it is 0 while {@code firstIndex() == 1}).
 *
 * <p><b>Durability.</b> {@link #append}, {@link #truncatePrefix} and {@link #resetTo} are visible to reads at once,
 * but they are only guaranteed to survive a crash after the next {@link #sync()} returns (or after anything else
 * that ends a group commit of the same storage, such as {@link HardStateStore#save} or
 * {@link RaftStorage#persist}). A crash never leaves part of a group commit: either all changes made since the
 * previous sync are recovered, or none of them.
 *
 * <p>Implementations are thread-safe; every call is atomic with respect to the others.
 */
public interface LogStore extends DurableEntries {

    /** Index of the first entry held; {@code lastIndex() + 1} when the log is empty. */
    long firstIndex();

    /** Index of the last entry held; {@code firstIndex() - 1} when the log is empty. */
    long lastIndex();

    /**
     * The entry at {@code index}.
     *
     * @throws IndexOutOfBoundsException unless {@code firstIndex() <= index <= lastIndex()}
     * @throws StorageException if the stored record is corrupt
     */
    Entry entry(long index);

    /**
     * The term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}. For
     * {@code firstIndex() - 1} this is the term remembered from the truncated prefix (0 when nothing was truncated).
     *
     * @throws IndexOutOfBoundsException outside that range
     */
    long term(long index);

    /**
     * The entries {@code [from, toInclusive]}; empty when {@code from == toInclusive + 1}.
     *
     * @throws IndexOutOfBoundsException unless {@code firstIndex() <= from <= toInclusive + 1 <= lastIndex() + 1}
     */
    default List<Entry> entries(long from, long toInclusive) {
        return entries(from, toInclusive, Long.MAX_VALUE);
    }

    /**
     * Like {@link #entries(long, long)}, but stops before the total {@link Entry#sizeBytes()} would exceed
     * {@code maxBytes}. The first entry of a non-empty range is always returned, however large it is.
     */
    @Override
    List<Entry> entries(long from, long toInclusive, long maxBytes);

    /**
     * Appends {@code entries}, first removing every stored entry at index {@code entries.get(0).index()} or higher
     * (the Raft rule for conflicting suffixes). An empty list does nothing.
     *
     * @throws IllegalArgumentException if the entries are not contiguous, if the first one is not in
     *         {@code [firstIndex(), lastIndex() + 1]}, or if their terms would decrease along the log
     */
    void append(List<Entry> entries);

    /**
     * Removes the entries up to and including {@code upToInclusive} (after a snapshot covered them), remembering the
     * term of the last removed one. Does nothing when {@code upToInclusive < firstIndex()}.
     *
     * @throws IllegalArgumentException if {@code upToInclusive > lastIndex()} (use {@link #resetTo} for that)
     */
    void truncatePrefix(long upToInclusive);

    /**
     * Discards the whole log and continues it after a snapshot that ends at {@code (index, term)}: afterwards
     * {@code firstIndex() == index + 1}, {@code lastIndex() == index} and {@code term(index) == term}.
     */
    void resetTo(long index, long term);

    /**
     * Ends a group commit: every change made so far is durable (written and fsynced) when this returns.
     *
     * @throws StorageException if the write or fsync failed; the storage is then closed
     */
    void sync();
}
