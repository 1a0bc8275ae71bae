package io.raftx.kv;

/**
 * Size limits checked by {@link KvClient} before a request is proposed.
 *
 * <p>They are deliberately not checked when a command is applied: nodes may be configured differently, and a
 * committed command must have the same effect on every replica.
 *
 * @param maxKeyBytes   longest key accepted (default 4 KiB)
 * @param maxValueBytes largest value accepted (default 1 MiB)
 * @param maxTxnOps     most compares, then-ops or else-ops in one transaction, each list counted on its own
 *                      (default 128)
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes, int maxTxnOps) {

    public static final KvLimits DEFAULTS = new KvLimits(4 * 1024, 1024 * 1024, 128);

    public KvLimits {
        if (maxKeyBytes < 1 || maxValueBytes < 0 || maxTxnOps < 1) {
            throw new IllegalArgumentException("KvLimits need maxKeyBytes >= 1, maxValueBytes >= 0, maxTxnOps >= 1;"
                    + " got " + maxKeyBytes + ", " + maxValueBytes + ", " + maxTxnOps);
        }
    }

    public KvLimits withMaxKeyBytes(int n) {
        return new KvLimits(n, maxValueBytes, maxTxnOps);
    }

    public KvLimits withMaxValueBytes(int n) {
        return new KvLimits(maxKeyBytes, n, maxTxnOps);
    }

    public KvLimits withMaxTxnOps(int n) {
        return new KvLimits(maxKeyBytes, maxValueBytes, n);
    }

    public void checkKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new InvalidRequestException("key must not be empty");
        }
        if (key.length > maxKeyBytes) {
            throw new InvalidRequestException("key " + ByteKey.describe(key) + " is " + key.length
                    + " bytes; the limit maxKeyBytes is " + maxKeyBytes);
        }
    }

    public void checkValue(byte[] key, byte[] value) {
        if (value == null) {
            throw new InvalidRequestException("value of key " + ByteKey.describe(key) + " must not be null");
        }
        if (value.length > maxValueBytes) {
            throw new InvalidRequestException("value of key " + ByteKey.describe(key) + " is " + value.length
                    + " bytes; the limit maxValueBytes is " + maxValueBytes);
        }
    }

    /** Checks every key, value and list length of a transaction. */
    public void check(Txn txn) {
        checkCount("compares", txn.compares().size());
        checkCount("then-ops", txn.thenOps().size());
        checkCount("else-ops", txn.elseOps().size());
        for (Compare c : txn.compares()) {
            checkKey(c.key());
            if (c.rangeEnd() != null && c.rangeEnd().length > 0) {
                checkKey(c.rangeEnd());
            }
            if (c.target() == Compare.Target.VALUE) {
                checkValue(c.key(), c.value());
            }
        }
        txn.thenOps().forEach(this::check);
        txn.elseOps().forEach(this::check);
    }

    private void check(Op op) {
        checkKey(op.key());
        KeyRange range = op instanceof Op.DeleteRange d ? d.range() : op instanceof Op.Range r ? r.range() : null;
        if (range != null && range.end() != null && range.end().length > maxKeyBytes) {
            checkKey(range.end());
        }
        if (op instanceof Op.Put put) {
            checkValue(put.key(), put.value());
        }
    }

    private void checkCount(String what, int n) {
        if (n > maxTxnOps) {
            throw new InvalidRequestException("transaction has " + n + " " + what + "; the limit maxTxnOps is "
                    + maxTxnOps);
        }
    }
}
