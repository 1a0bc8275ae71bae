package io.raftx.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** The bytes of the regular files under a node's data directory: what Maintenance/Status reports as its db size. */
public final class DirectorySize implements LongSupplier {

    private final Path dir;

    public DirectorySize(Path dir) {
        this.dir = dir;
    }

    @Override
    public long getAsLong() {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while we walked (a compacted snapshot)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir + ": " + e.getMessage(), e);
        }
    }
}
