package io.raftx.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code datasync:} prefix) whose files sync with {@code fdatasync} instead of {@code fsync}:
 * MVStore calls {@code FileChannel.force(true)}, which also writes back the file's timestamps and so commits the
 * file system's journal on every group commit; {@code force(false)} still writes back everything needed to read the
 * data (its blocks and the file size), which is all durability needs, and is what etcd's WAL does.
 *
 * <p>Public only because H2 creates its file systems by reflection; not an API.
 */
public final class DataSyncFilePath extends FilePathWrapper {

    static final String SCHEME = "datasync";

    static {
        FilePath.register(new DataSyncFilePath());
    }

    /** Called by H2 (reflection) for each path of this scheme. */
    public DataSyncFilePath() {
    }

    /** The MVStore file name for {@code path}. */
    static String fileName(java.nio.file.Path path) {
        return SCHEME + ":" + path;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new DataSyncChannel(getBase().open(mode));
    }

    /** Delegates everything to the real channel; only {@link #force} drops the metadata flag. */
    private static final class DataSyncChannel extends ForwardingFileChannel {

        DataSyncChannel(FileChannel base) {
            super(base);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(false);
        }
    }
}
