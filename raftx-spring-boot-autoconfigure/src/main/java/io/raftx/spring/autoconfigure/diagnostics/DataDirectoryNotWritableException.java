package io.raftx.spring.autoconfigure.diagnostics;

import java.nio.file.Path;

/** The node cannot create or write {@code raftx.data-dir}. */
public class DataDirectoryNotWritableException extends RuntimeException {

    private final Path directory;

    public DataDirectoryNotWritableException(Path directory, String reason, Throwable cause) {
        super("Data directory " + directory.toAbsolutePath() + " is not writable: " + reason, cause);
        this.directory = directory;
    }

    public Path getDirectory() {
        return directory;
    }
}
