package io.raftx.kv;

/** A lease command or a put referred to a lease that does not exist, or a grant to one that does; nothing changed. */
public final class LeaseException extends InvalidRequestException {

    public enum Reason { NOT_FOUND, EXISTS }

    private final Reason reason;
    private final long leaseId;

    public LeaseException(Reason reason, long leaseId) {
        super(reason == Reason.NOT_FOUND ? "lease " + leaseId + " does not exist (expired or revoked?)"
                : "lease " + leaseId + " already exists");
        this.reason = reason;
        this.leaseId = leaseId;
    }

    public Reason reason() {
        return reason;
    }

    public long leaseId() {
        return leaseId;
    }
}
