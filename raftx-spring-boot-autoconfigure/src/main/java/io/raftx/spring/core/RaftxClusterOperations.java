package io.raftx.spring.core;

import io.raftx.node.NodeStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as the local node sees it. Membership changes (add, remove) will be added here when the node
 * runtime supports them.
 */
public interface RaftxClusterOperations {

    /** This node's id. */
    String localNodeId();

    /** Role, term, known leader and log positions of this node, as of its last event-loop iteration. */
    NodeStatus status();

    /** The voting members, id to peer address (the configured initial members in this version). */
    Map<String, String> members();

    /** The leader this node currently knows of, if any. */
    Optional<String> leaderId();

    boolean isLeader();

    /**
     * Hands leadership to {@code nodeId} and waits until it has taken over. Must be called on the leader; returns
     * at once if {@code nodeId} already leads.
     *
     * @throws RaftxInvalidRequestException if {@code nodeId} is not a member
     * @throws RaftxNotLeaderException      if this node does not lead
     * @throws RaftxNotAppliedException     if the target did not take over in time
     */
    void transferLeadership(String nodeId);

    CompletableFuture<Void> transferLeadershipAsync(String nodeId);
}
