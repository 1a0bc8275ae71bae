package io.raftx.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that is incomplete, damaged or not a snapshot file at all. */
public final class CorruptSnapshotException extends IOException {

    private static final long serialVersionUID = 1L;

    public CorruptSnapshotException(Path file, String why) {
        super("snapshot file " + file + " cannot be used: " + why);
    }
}
