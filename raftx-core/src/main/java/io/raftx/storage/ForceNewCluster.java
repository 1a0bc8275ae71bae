package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import io.raftx.raft.Membership;
import io.raftx.raft.RestoredState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Disaster recovery after the permanent loss of a majority, like etcd's {@code --force-new-cluster}: rewrites a
 * stopped survivor's data directory so that it starts as the only voter of its cluster, keeping its data.
 *
 * <p>It appends one configuration entry (this node alone, at its address) in a new term and marks the whole log
 * committed. That is the unsafe part, and the reason to use it only when the lost members will never return: entries
 * this node holds that the old majority had <em>not</em> committed become committed, and writes the old majority
 * committed that never reached this node are gone. Pick the survivor with the longest log ({@link #inspect}).
 * The cluster id and node id stay; add members back afterwards with empty data directories.
 */
public final class ForceNewCluster {

    /**
     * What a stopped node's data directory holds.
     *
     * @param lastIndex  its last log entry (or snapshot) index
     * @param lastTerm   that entry's term
     * @param commit     the commit index it recorded
     * @param term       its current term
     * @param membership the configuration in force at its last entry
     */
    public record LogState(long lastIndex, long lastTerm, long commit, long term, Membership membership) {
        public String describe() {
            return "last index " + lastIndex + " (term " + lastTerm + "), commit index " + commit + ", term " + term
                    + ", " + membership.describe();
        }
    }

    private ForceNewCluster() {
    }

    /** Reads the state of the stopped node's directory, changing nothing. */
    public static LogState inspect(Path dataDir, String nodeId) {
        requireOwner(dataDir, nodeId);
        try (MvStoreRaftStorage storage = MvStoreRaftStorage.open(DataDirLayout.storageFile(dataDir))) {
            return stateOf(storage.recover());
        }
    }

    /**
     * Makes {@code nodeId}, at peer address {@code address}, the only voter of the cluster whose data {@code dataDir}
     * holds. The node must be stopped (the storage file is locked otherwise).
     *
     * @return the state before the rewrite
     * @throws IllegalArgumentException if the directory belongs to another node, holds no cluster state, or the node
     *                                  is already the only voter
     * @throws StorageException         if the storage cannot be opened (another process has it) or written
     */
    public static LogState rewrite(Path dataDir, String nodeId, String address) {
        Membership.requireValidAddress(nodeId, address);
        requireOwner(dataDir, nodeId);
        try (MvStoreRaftStorage storage = MvStoreRaftStorage.open(DataDirLayout.storageFile(dataDir))) {
            LogState before = stateOf(storage.recover());
            if (before.lastIndex() == 0) {
                throw new IllegalArgumentException("data directory " + dataDir.toAbsolutePath() + " holds no cluster"
                        + " state (empty log); there is nothing to recover from it");
            }
            if (before.membership().voters().equals(java.util.Set.of(nodeId)) && before.membership().learners()
                    .isEmpty()) {
                throw new IllegalArgumentException("node " + nodeId + " is already the only member ("
                        + before.describe() + "); nothing to do: start it normally");
            }
            long term = Math.max(before.term(), before.lastTerm()) + 1;
            long index = before.lastIndex() + 1;
            Membership alone = Membership.ofVoters(Map.of(nodeId, address));
            storage.persist(new HardState(term, null, index),
                    List.of(new Entry(term, index, EntryType.CONFIG, alone.encode())));
            return before;
        }
    }

    private static LogState stateOf(RestoredState restored) {
        Membership membership = restored.snapshot() != null ? restored.snapshot().membership()
                : Membership.ofVoters(List.of());
        long lastIndex = restored.snapshot() != null ? restored.snapshot().index() : 0;
        long lastTerm = restored.snapshot() != null ? restored.snapshot().term() : 0;
        for (Entry e : restored.log()) {
            if (e.type() == EntryType.CONFIG) {
                membership = Membership.decode(e.data());
            }
            lastIndex = e.index();
            lastTerm = e.term();
        }
        HardState hs = restored.hardState();
        return new LogState(lastIndex, lastTerm, hs.commit(), hs.term(), membership);
    }

    private static void requireOwner(Path dataDir, String nodeId) {
        DataDirIdentity owner = DataDirIdentity.recorded(dataDir);
        if (owner == null || !owner.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException("data directory " + dataDir.toAbsolutePath() + " is "
                    + (owner == null ? "not a node's data directory (no " + DataDirIdentity.FILE + ")"
                    : "node '" + owner.nodeId() + "''s, not node '" + nodeId + "''s")
                    + "; give the survivor's own data directory and id");
        }
    }
}
