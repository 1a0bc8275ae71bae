package io.raftx.snapshot;

/**
 * A snapshot transfer that completed: the receiver holds the whole file, verified, and took the SNAPSHOT message.
 *
 * @param resumedFrom offset the receiver asked to continue from (0 for a fresh transfer; the file size when it did
 *                    not need the data)
 * @param bytesSent   file bytes sent by this transfer
 * @param nanos       how long the transfer took
 */
public record SnapshotSent(long resumedFrom, long bytesSent, long nanos) {

    /** Throughput of this transfer in MB/s (10^6 bytes), or 0 if nothing was sent. */
    public double megabytesPerSecond() {
        return nanos <= 0 || bytesSent == 0 ? 0 : bytesSent / 1e6 / (nanos / 1e9);
    }
}
