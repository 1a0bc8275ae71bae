package io.raftx.spring.autoconfigure;

import io.raftx.spring.autoconfigure.diagnostics.DataDirectoryNotWritableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the data directory and proves it writable before the storage opens, so the error names the fix. */
final class DataDirectory {

    private static final String PROBE = ".raftx-write-check";

    private DataDirectory() {
    }

    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataDirectoryNotWritableException(dir, "it cannot be created (" + e + ")", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new DataDirectoryNotWritableException(dir, "it exists but is not a directory", null);
        }
        Path probe = dir.resolve(PROBE);
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new DataDirectoryNotWritableException(dir, "a file cannot be created in it (" + e + ")", e);
        }
        return dir;
    }
}
