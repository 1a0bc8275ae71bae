package io.raftx.snapshot;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a snapshot's payload. The stream must not be closed (closing it does nothing). */
@FunctionalInterface
public interface SnapshotContent {

    void writeTo(OutputStream out) throws IOException;
}
