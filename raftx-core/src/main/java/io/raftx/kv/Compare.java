package io.raftx.kv;

import java.util.Objects;

/**
 * One condition of a {@link Txn}: compares a key's value, version, mod revision or create revision with a constant.
 *
 * <p>A missing key has version, mod revision and create revision 0, so "absent" is {@code modRevision(k) == 0}.
 * As in etcd, a VALUE compare on a missing key is false for every operator (there is no value to compare).
 * Values compare unsigned-lexicographically.
 *
 * <p>Request types keep the arrays they are given (like {@code ByteBuffer.wrap}); do not modify them afterwards.
 *
 * <p>With a {@code rangeEnd} the compare covers the keys of {@code [key, rangeEnd)} (etcd's range compare): it holds
 * when every key of the range satisfies it; an empty range compares like a missing key.
 *
 * @param number   the constant for VERSION, MOD_REVISION and CREATE_REVISION targets (ignored for VALUE)
 * @param value    the constant for the VALUE target (null for the others)
 * @param rangeEnd null: the single key {@code key}; otherwise the range {@link #range()}
 * @param toEnd    with no {@code rangeEnd}: false for the single key, true for every key from {@code key} on
 */
public record Compare(byte[] key, Target target, Operator operator, long number, byte[] value, byte[] rangeEnd,
                      boolean toEnd) {

    public enum Target { VALUE, VERSION, MOD_REVISION, CREATE_REVISION }

    public enum Operator {
        EQUAL, NOT_EQUAL, LESS, GREATER;

        boolean holds(int comparison) {
            return switch (this) {
                case EQUAL -> comparison == 0;
                case NOT_EQUAL -> comparison != 0;
                case LESS -> comparison < 0;
                case GREATER -> comparison > 0;
            };
        }
    }

    /** A single-key compare. */
    public Compare(byte[] key, Target target, Operator operator, long number, byte[] value) {
        this(key, target, operator, number, value, null, false);
    }

    /** The same condition over the keys of {@code range}. */
    public Compare over(KeyRange range) {
        return new Compare(range.from(), target, operator, number, value, range.end(), range.end() == null);
    }

    /** The keys the compare covers, or null for a single-key compare. */
    public KeyRange range() {
        return rangeEnd == null && !toEnd ? null : new KeyRange(key, rangeEnd);
    }

    public Compare {
        if (rangeEnd != null) {
            toEnd = false;
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(operator, "operator");
        if (target == Target.VALUE) {
            Objects.requireNonNull(value, "value (a VALUE compare needs a value)");
        } else {
            value = null;
        }
    }

    public static Compare value(byte[] key, Operator operator, byte[] value) {
        return new Compare(key, Target.VALUE, operator, 0, value);
    }

    public static Compare version(byte[] key, Operator operator, long version) {
        return new Compare(key, Target.VERSION, operator, version, null);
    }

    public static Compare modRevision(byte[] key, Operator operator, long revision) {
        return new Compare(key, Target.MOD_REVISION, operator, revision, null);
    }

    public static Compare createRevision(byte[] key, Operator operator, long revision) {
        return new Compare(key, Target.CREATE_REVISION, operator, revision, null);
    }

    /** True when the key is absent (its mod revision is 0). */
    public static Compare absent(byte[] key) {
        return modRevision(key, Operator.EQUAL, 0);
    }

    /** True when the key exists. */
    public static Compare present(byte[] key) {
        return modRevision(key, Operator.GREATER, 0);
    }
}
