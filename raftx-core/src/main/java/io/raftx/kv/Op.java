package io.raftx.kv;

import java.util.Objects;

/**
 * One operation of a {@link Txn} branch. Operations run in order and see the effects of earlier ones in the same
 * transaction; all writes of a transaction share one revision.
 *
 * <p>Request types keep the arrays they are given; do not modify them afterwards.
 */
public sealed interface Op permits Op.Put, Op.Delete, Op.Get, Op.DeleteRange, Op.Range {

    /** The key the op acts on; for range ops, the first key of the range. */
    byte[] key();

    /**
     * Sets {@code key} to {@code value}; with {@code returnPrevious} the result carries the replaced key-value. A
     * non-zero {@code lease} attaches the key to that lease (the transaction fails if the lease does not exist);
     * 0 detaches it from any lease.
     */
    record Put(byte[] key, byte[] value, boolean returnPrevious, long lease) implements Op {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public Put(byte[] key, byte[] value, boolean returnPrevious) {
            this(key, value, returnPrevious, 0);
        }
    }

    /** Removes {@code key} if present; with {@code returnPrevious} the result carries the removed key-value. */
    record Delete(byte[] key, boolean returnPrevious) implements Op {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Reads {@code key} as of this point in the transaction. */
    record Get(byte[] key) implements Op {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Removes every key in {@code range} (one revision for all of them); with {@code returnPrevious} the result
     * carries the removed key-values.
     */
    record DeleteRange(KeyRange range, boolean returnPrevious) implements Op {
        public DeleteRange {
            Objects.requireNonNull(range, "range");
        }

        @Override
        public byte[] key() {
            return range.from();
        }
    }

    /**
     * Reads every key in {@code range}, in key order: with {@code revision} 0 as of this point in the transaction,
     * otherwise as of that past revision (from the retained history; the transaction fails with
     * {@link RevisionException} if the revision is compacted or later than the store's revision before it).
     */
    record Range(KeyRange range, long revision) implements Op {
        public Range {
            Objects.requireNonNull(range, "range");
            if (revision < 0) {
                throw new IllegalArgumentException("a range read's revision must not be negative, got " + revision);
            }
        }

        public Range(KeyRange range) {
            this(range, 0);
        }

        @Override
        public byte[] key() {
            return range.from();
        }
    }

    static Op put(byte[] key, byte[] value) {
        return new Put(key, value, false);
    }

    static Op delete(byte[] key) {
        return new Delete(key, false);
    }

    static Op get(byte[] key) {
        return new Get(key);
    }
}
