package io.raftx.snapshot;

/** A snapshot transfer that failed; {@link #bytesSent()} says how much of the file went out before it did. */
public final class SnapshotTransferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long bytesSent;

    public SnapshotTransferException(String message, long bytesSent, Throwable cause) {
        super(message, cause);
        this.bytesSent = bytesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }
}
