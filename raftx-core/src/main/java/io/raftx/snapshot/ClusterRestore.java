package io.raftx.snapshot;

import io.raftx.raft.HardState;
import io.raftx.raft.Membership;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.DataDirIdentity;
import io.raftx.storage.DataDirLayout;
import io.raftx.storage.MvStoreRaftStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes the data directory of one member of a <em>new</em> cluster from a {@link BackupFile}, the way etcd's
 * {@code snapshot restore} does: the directory holds the backup's state as a snapshot whose membership is the new
 * members (all voters), a log that starts after it, and an owner record for the new cluster id. Run it once per
 * member, with the same cluster id and members; then start every member on its directory with that cluster id.
 *
 * <p>Everything is checked before anything is written (the backup whole, the cluster ids, the members, the target
 * directory), and the directory is assembled beside the target and renamed into place, so a refusal or a failure
 * leaves the file system as it was.
 */
public final class ClusterRestore {

    private static final String WORK_PREFIX = ".restoring-";

    /**
     * What to restore into.
     *
     * @param clusterId             the new cluster's id; must differ from the backup's, so the restored members can
     *                              never exchange messages with members of the old cluster
     * @param members               every member of the new cluster, id to peer address (host:port)
     * @param expectedSourceCluster if not null, the cluster the backup must come from
     */
    public record Plan(String clusterId, Map<String, String> members, String expectedSourceCluster) {
        public Plan {
            Objects.requireNonNull(clusterId, "clusterId");
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members)); // in the given order, for messages
        }
    }

    private ClusterRestore() {
    }

    /**
     * Restores member {@code nodeId} of {@code plan} into {@code dataDir} (which must not exist or be empty).
     *
     * @return the backup that was restored
     * @throws InvalidBackupException   if the backup is truncated, damaged, or not from the expected cluster
     * @throws IllegalArgumentException if the plan is wrong (cluster id, members, node id) or the directory is not
     *                                  empty
     * @throws UncheckedIOException     if writing fails; the target is then left as it was
     */
    public static BackupFile restore(Path backup, Plan plan, String nodeId, Path dataDir) {
        checkPlan(plan, nodeId);
        Path target = dataDir.toAbsolutePath().normalize();
        requireEmpty(target);
        Path work = target.resolveSibling(WORK_PREFIX + target.getFileName());
        try {
            deleteRecursively(work); // only ever ours: left by a restore that was interrupted
            Files.createDirectories(work);
            BackupFile info;
            try (BackupFile.Unpacked unpacked = BackupFile.open(backup, work)) {
                info = unpacked.info();
                checkSource(backup, info, plan);
                write(unpacked.snapshot(), plan, nodeId, work);
            }
            if (Files.exists(target)) {
                Files.delete(target); // empty, checked above
            }
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            FileSnapshotStore.syncDirectory(target.getParent());
            return info;
        } catch (IOException e) {
            deleteQuietly(work);
            throw new UncheckedIOException("cannot restore into " + target + ": " + e.getMessage()
                    + "; check free space and permissions (nothing was written to " + target + ")", e);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
    }

    /** The new snapshot, the log starting after it, and the owner record, all in {@code dir}. */
    private static void write(StoredSnapshot source, Plan plan, String nodeId, Path dir) {
        SnapshotMeta meta = new SnapshotMeta(source.meta().index(), source.meta().term(),
                Membership.ofVoters(plan.members()));
        FileSnapshotStore.open(DataDirLayout.snapshotDirectory(dir)).save(meta, out -> {
            try (InputStream payload = source.openPayload()) {
                payload.transferTo(out);
            }
        });
        try (MvStoreRaftStorage storage = MvStoreRaftStorage.open(DataDirLayout.storageFile(dir))) {
            storage.snapshotInstalled(meta);
            storage.persist(new HardState(meta.term(), null, meta.index()), List.of());
        }
        DataDirIdentity.claim(dir, plan.clusterId(), nodeId);
    }

    private static void checkPlan(Plan plan, String nodeId) {
        String id = plan.clusterId();
        if (id.isEmpty() || !id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("new cluster id '" + id + "' is not valid: use printable ASCII without"
                    + " spaces");
        }
        if (plan.members().isEmpty()) {
            throw new IllegalArgumentException("no members given: name every member of the new cluster as "
                    + "id=host:port");
        }
        Map<String, String> byAddress = new HashMap<>();
        plan.members().forEach((member, address) -> {
            Membership.requireValidId(member);
            Membership.requireValidAddress(member, address);
            String other = byAddress.putIfAbsent(address, member);
            if (other != null) {
                throw new IllegalArgumentException("address " + address + " is given to both " + other + " and "
                        + member + ": every member needs its own peer address");
            }
        });
        if (!plan.members().containsKey(nodeId)) {
            throw new IllegalArgumentException("node '" + nodeId + "' is not among the members " + plan.members()
                    .keySet() + ": restore each member's directory under an id from the members list");
        }
    }

    private static void checkSource(Path backup, BackupFile info, Plan plan) {
        if (plan.expectedSourceCluster() != null && !plan.expectedSourceCluster().equals(info.clusterId())) {
            throw new InvalidBackupException(backup, "it was taken from cluster '" + info.clusterId()
                    + "', not from cluster '" + plan.expectedSourceCluster() + "' as expected; check that this is the"
                    + " right file");
        }
        if (info.clusterId().equals(plan.clusterId())) {
            throw new IllegalArgumentException("the new cluster id '" + plan.clusterId() + "' is the id of the "
                    + "cluster the backup was taken from; choose a new one, so that members of the old cluster can "
                    + "never talk with the restored ones");
        }
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory " + dir + " is a file; give a new or empty directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(5).toList();
            if (!names.isEmpty()) {
                throw new IllegalArgumentException("data directory " + dir + " is not empty (it holds " + names
                        + "); restore only into a new or empty directory: move the old one aside first");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException ignored) {
            // a leftover work directory is removed by the next restore into the same target
        }
    }
}
