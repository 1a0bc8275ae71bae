package io.raftx.node;

import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.BackupFile;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.snapshot.StoredSnapshot;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Backs up a running node: takes a snapshot now (on the loop, which pauses the node as any snapshot does), then
 * copies that snapshot file into a {@link BackupFile} on the caller's thread while the node carries on. The backup
 * holds what this node had applied, which includes every write acknowledged before the call when it runs on the
 * leader, or after a linearizable read on a follower.
 */
public final class OnlineBackup {

    /** A newer snapshot may replace (and delete) the one just taken while it is copied: then copy the newer one. */
    private static final int ATTEMPTS = 3;

    private final RaftNode node;
    private final SnapshotStore store;
    private final String clusterId;

    public OnlineBackup(RaftNode node, SnapshotStore store, String clusterId) {
        this.node = Objects.requireNonNull(node, "node");
        this.store = Objects.requireNonNull(store, "store");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    }

    /**
     * Writes a backup to {@code target}, which must not exist.
     *
     * @throws IllegalArgumentException if {@code target} exists or its directory does not
     * @throws IllegalStateException    if the node cannot snapshot (not started, nothing applied yet, no store)
     * @throws UncheckedIOException     if the file cannot be written
     * @throws TimeoutException         if the snapshot was not taken within {@code timeout}
     */
    public BackupFile writeTo(Path target, Duration timeout) throws TimeoutException, InterruptedException {
        SnapshotMeta taken;
        try {
            taken = node.snapshot().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("node " + node.id() + " cannot take the snapshot to back up: "
                    + e.getCause().getMessage(), e.getCause());
        }
        for (int attempt = 1; ; attempt++) {
            StoredSnapshot snapshot = store.find(taken).or(store::latest).orElseThrow(() -> new IllegalStateException(
                    "node " + node.id() + " took snapshot " + taken.index() + " but its store holds none"));
            try {
                return BackupFile.write(snapshot, clusterId, node.id(), target);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
