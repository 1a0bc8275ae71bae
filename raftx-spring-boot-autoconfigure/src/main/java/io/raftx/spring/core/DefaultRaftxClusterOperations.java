package io.raftx.spring.core;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** {@link RaftxClusterOperations} over the local {@link RaftNode} and its configured members. */
public final class DefaultRaftxClusterOperations implements RaftxClusterOperations {

    private final RaftNode node;
    private final Map<String, String> members;
    private final Executor asyncExecutor;

    public DefaultRaftxClusterOperations(RaftNode node, Map<String, String> members, Executor asyncExecutor) {
        this.node = Objects.requireNonNull(node, "node");
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
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
        return members;
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
        try {
            start(nodeId).get();
        } catch (ExecutionException e) {
            throw translate(nodeId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaftxNotAppliedException("leadership transfer to '" + nodeId + "' interrupted", e);
        } catch (RuntimeException e) {
            throw translate(nodeId, e);
        }
    }

    @Override
    public CompletableFuture<Void> transferLeadershipAsync(String nodeId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> started;
        try {
            started = start(nodeId);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenCompleteAsync((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(translate(nodeId, failure));
            } else {
                done.complete(null);
            }
        }, asyncExecutor);
        return done;
    }

    private CompletableFuture<Void> start(String target) {
        if (target == null || !members.containsKey(target)) {
            throw new RaftxInvalidRequestException("cannot transfer leadership to '" + target + "': not a member;"
                    + " members are " + members.keySet(), null);
        }
        NodeStatus status = status();
        if (target.equals(status.leaderId())) {
            return CompletableFuture.completedFuture(null);
        }
        if (status.role() != Role.LEADER) {
            throw new RaftxNotLeaderException("cannot transfer leadership from node " + node.id() + ": it does not"
                    + " lead (leader: " + (status.leaderId() == null ? "none, election in progress"
                    : status.leaderId()) + "); send the request to the leader", status.leaderId());
        }
        return node.transferLeadership(target);
    }

    private static RaftxException translate(String target, Throwable failure) {
        return RaftxExceptionTranslator.translate("leadership transfer to '" + target + "'", failure, false);
    }
}
