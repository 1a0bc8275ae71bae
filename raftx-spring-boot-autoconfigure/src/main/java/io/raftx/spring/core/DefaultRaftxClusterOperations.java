package io.raftx.spring.core;

import io.raftx.node.OnlineBackup;
import io.raftx.snapshot.BackupFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Membership;
import io.raftx.raft.Role;
import io.raftx.raft.SnapshotMeta;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** {@link RaftxClusterOperations} over the local {@link RaftNode}. */
public final class DefaultRaftxClusterOperations implements RaftxClusterOperations {

    private final RaftNode node;
    private final Map<String, String> initialAddresses;
    private final Executor asyncExecutor;
    private final OnlineBackup backups;
    private static final Duration BACKUP_SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param initialAddresses the addresses the node was started with; the initial configuration names no addresses,
     *                         so they fill in for its voters
     * @param backups          writes backups of this node's state
     */
    public DefaultRaftxClusterOperations(RaftNode node, Map<String, String> initialAddresses, Executor asyncExecutor,
                                         OnlineBackup backups) {
        this.node = Objects.requireNonNull(node, "node");
        this.backups = Objects.requireNonNull(backups, "backups");
        this.initialAddresses = Map.copyOf(initialAddresses);
        this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
    }

    @Override
    public String localNodeId() {
        return node.id();
    }

    @Override
    public NodeStatus status() {
        NodeStatus status = node.status();
        if (status == null) {
            throw new RaftxNodeUnavailableException("node " + node.id() + " has not started yet", null);
        }
        return status;
    }

    @Override
    public Map<String, String> members() {
        Membership membership = status().membership();
        return addresses(membership, membership.voters());
    }

    @Override
    public Map<String, String> learners() {
        Membership membership = status().membership();
        return addresses(membership, membership.learners());
    }

    private Map<String, String> addresses(Membership membership, Set<String> ids) {
        Map<String, String> result = new TreeMap<>();
        for (String id : ids) {
            String address = membership.address(id);
            result.put(id, address != null ? address : initialAddresses.getOrDefault(id, "unknown"));
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(status().leaderId());
    }

    @Override
    public boolean isLeader() {
        return status().role() == Role.LEADER;
    }

    @Override
    public void transferLeadership(String nodeId) {
        await(describe("leadership transfer to", nodeId), false, () -> startTransfer(nodeId));
    }

    @Override
    public CompletableFuture<Void> transferLeadershipAsync(String nodeId) {
        return submit(describe("leadership transfer to", nodeId), false, () -> startTransfer(nodeId));
    }

    @Override
    public void addMember(String nodeId, String address) {
        await(describe("add member", nodeId), true, () -> startAdd(nodeId, address));
    }

    @Override
    public CompletableFuture<Void> addMemberAsync(String nodeId, String address) {
        return submit(describe("add member", nodeId), true, () -> startAdd(nodeId, address));
    }

    @Override
    public void removeMember(String nodeId) {
        await(describe("remove member", nodeId), true, () -> startRemove(nodeId));
    }

    @Override
    public CompletableFuture<Void> removeMemberAsync(String nodeId) {
        return submit(describe("remove member", nodeId), true, () -> startRemove(nodeId));
    }

    @Override
    public long snapshot() {
        SnapshotMeta[] taken = new SnapshotMeta[1];
        await("snapshot of node '" + node.id() + "'", false,
                () -> node.snapshot().thenAccept(meta -> taken[0] = meta));
        return taken[0].index();
    }

    @Override
    public BackupFile backup(Path target) {
        String operation = "backup of node '" + node.id() + "' to " + target;
        if (target == null) {
            throw invalid(operation + " failed: give the file to write");
        }
        try {
            return backups.writeTo(target, BACKUP_SNAPSHOT_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaftxNotAppliedException(operation + " interrupted", e);
        } catch (TimeoutException | RuntimeException e) {
            throw RaftxExceptionTranslator.translate(operation, e, false);
        }
    }

    private CompletableFuture<?> startTransfer(String target) {
        NodeStatus status = status();
        if (target == null || !status.membership().isVoter(target)) {
            throw invalid("'" + target + "' is not a voter; voters are " + members().keySet());
        }
        if (target.equals(status.leaderId())) {
            return CompletableFuture.completedFuture(null);
        }
        if (status.role() != Role.LEADER) {
            throw new RaftxNotLeaderException("node " + node.id() + " does not lead (leader: "
                    + (status.leaderId() == null ? "none, election in progress" : status.leaderId())
                    + "); send the leadership transfer to the leader", status.leaderId());
        }
        return node.transferLeadership(target);
    }

    private CompletableFuture<?> startAdd(String id, String address) {
        Membership membership = status().membership();
        if (id != null && membership.isMember(id)) {
            throw invalid("'" + id + "' is already a member (" + membership.describe() + ")"
                    + (membership.learners().contains(id) ? "; remove it and add it again to restart its promotion"
                    : ""));
        }
        return whenSeenLocally(node.addMember(id, address), id); // addMember checks id and address syntax
    }

    private CompletableFuture<?> startRemove(String id) {
        Membership membership = status().membership();
        if (id == null || !membership.isMember(id)) {
            throw invalid("'" + id + "' is not a member (" + membership.describe() + ")");
        }
        return whenSeenLocally(node.removeMember(id), id);
    }

    /**
     * The change completes once the leader applied it; a linearizable no-op read then waits until this node has too,
     * so {@link #members()} right afterwards shows it. Skipped when the change concerns this node itself (removed, it
     * may no longer reach a leader), and its failure is ignored: the change itself succeeded.
     */
    private CompletableFuture<?> whenSeenLocally(CompletableFuture<?> change, String changedNode) {
        if (node.id().equals(changedNode)) {
            return change;
        }
        return change.thenCompose(done -> node.read(ReadConsistency.LINEARIZABLE, () -> done).handle((r, e) -> done));
    }

    private static RaftxInvalidRequestException invalid(String message) {
        return new RaftxInvalidRequestException(message, null);
    }

    private static String describe(String operation, String nodeId) {
        return operation + " '" + nodeId + "'";
    }

    /** Waits on the caller's thread and translates there, so the stack trace shows the caller. */
    private static void await(String operation, boolean write, Supplier<CompletableFuture<?>> start) {
        try {
            start.get().get();
        } catch (ExecutionException e) {
            throw RaftxExceptionTranslator.translate(operation, e.getCause(), write);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaftxUnknownOutcomeException(operation + " interrupted while waiting for the outcome", e);
        } catch (RuntimeException e) {
            throw RaftxExceptionTranslator.translate(operation, e, write);
        }
    }

    private CompletableFuture<Void> submit(String operation, boolean write, Supplier<CompletableFuture<?>> start) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<?> started;
        try {
            started = start.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenCompleteAsync((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(RaftxExceptionTranslator.translate(operation, failure, write));
            } else {
                done.complete(null);
            }
        }, asyncExecutor);
        return done;
    }
}
