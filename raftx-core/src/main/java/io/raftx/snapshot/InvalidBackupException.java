package io.raftx.snapshot;

import java.nio.file.Path;

/**
 * A backup file that cannot be restored: truncated, damaged, not a RaftX backup, or from another cluster than the
 * one expected. Nothing was written when this is thrown.
 */
public final class InvalidBackupException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidBackupException(Path file, String why) {
        super("backup file " + file.toAbsolutePath() + " cannot be restored: " + why);
    }
}
