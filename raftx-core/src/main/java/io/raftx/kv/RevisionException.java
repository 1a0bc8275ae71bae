package io.raftx.kv;

/**
 * A read or compaction named a revision the store cannot serve: below the compaction point ({@link Reason#COMPACTED};
 * {@link #bound()} is the compaction revision) or above the store's revision ({@link Reason#FUTURE}; the bound is
 * the store's revision). Nothing changed.
 */
public final class RevisionException extends InvalidRequestException {

    public enum Reason { COMPACTED, FUTURE }

    private final Reason reason;
    private final long requested;
    private final long bound;

    public RevisionException(Reason reason, long requested, long bound) {
        super(reason == Reason.COMPACTED
                ? "revision " + requested + " has been compacted (the history starts at revision " + bound
                        + "); read at " + bound + " or later"
                : "revision " + requested + " is a future revision (the store is at revision " + bound + ")");
        this.reason = reason;
        this.requested = requested;
        this.bound = bound;
    }

    public Reason reason() {
        return reason;
    }

    public long requested() {
        return requested;
    }

    public long bound() {
        return bound;
    }
}
