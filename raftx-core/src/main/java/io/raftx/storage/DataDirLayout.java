package io.raftx.storage;

import java.nio.file.Path;

/**
 * Where a node keeps its files inside its data directory: the log and hard state ({@value #STORAGE_FILE}), the
 * snapshot files ({@value #SNAPSHOT_DIRECTORY}/) and the owner record ({@link DataDirIdentity#FILE}). One place, so
 * the node, restore and disaster recovery agree.
 */
public final class DataDirLayout {

    public static final String STORAGE_FILE = "raft.mv";
    public static final String SNAPSHOT_DIRECTORY = "snapshots";

    private DataDirLayout() {
    }

    public static Path storageFile(Path dataDir) {
        return dataDir.resolve(STORAGE_FILE);
    }

    public static Path snapshotDirectory(Path dataDir) {
        return dataDir.resolve(SNAPSHOT_DIRECTORY);
    }
}
