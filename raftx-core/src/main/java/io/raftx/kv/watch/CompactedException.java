package io.raftx.kv.watch;

/** A watch asked to resume from a revision older than the retained event history. */
public class CompactedException extends RuntimeException {

    private final long requestedRevision;
    private final long oldestRetainedRevision;

    public CompactedException(long requestedRevision, long oldestRetainedRevision) {
        super("revision " + requestedRevision + " is compacted; oldest retained is " + oldestRetainedRevision
                + "; re-read the keys and watch from the current revision");
        this.requestedRevision = requestedRevision;
        this.oldestRetainedRevision = oldestRetainedRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long oldestRetainedRevision() {
        return oldestRetainedRevision;
    }
}
