package io.raftx.spring.core;

import io.raftx.snapshot.BackupFile;
import java.nio.file.Path;

import io.raftx.node.NodeStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as the local node sees it: status, membership, leadership transfer, membership changes and
 * snapshots.
 * Membership changes work from any node (they are forwarded to the leader) and run one at a time.
 */
public interface RaftxClusterOperations {

    /** This node's id. */
    String localNodeId();

    /** Role, term, known leader, log positions and membership of this node, as of its last event-loop iteration. */
    NodeStatus status();

    /** The voting members in the configuration this node applies, id to peer address. */
    Map<String, String> members();

    /** Members that receive the log but do not vote yet (being added), id to peer address. */
    Map<String, String> learners();

    /** The leader this node currently knows of, if any. */
    Optional<String> leaderId();

    boolean isLeader();

    /**
     * Hands leadership to the voter {@code nodeId} and waits until it has taken over. Must be called on the leader;
     * returns at once if {@code nodeId} already leads.
     *
     * @throws RaftxInvalidRequestException if {@code nodeId} is not a voter
     * @throws RaftxNotLeaderException      if this node does not lead
     * @throws RaftxNotAppliedException     if the target did not take over in time
     */
    void transferLeadership(String nodeId);

    CompletableFuture<Void> transferLeadershipAsync(String nodeId);

    /**
     * Adds the node {@code nodeId}, listening at {@code address} (host:port), as a learner, and makes it a voter once
     * it has caught up with the log; returns when it votes. Start the new node first, with {@code raftx.joining=true}
     * and the current members.
     *
     * @throws RaftxInvalidRequestException if the id or address is invalid, or the node is already a member
     */
    void addMember(String nodeId, String address);

    CompletableFuture<Void> addMemberAsync(String nodeId, String address);

    /**
     * Removes the voter or learner {@code nodeId}; removing the leader hands leadership to another voter first.
     *
     * @throws RaftxInvalidRequestException if {@code nodeId} is not a member
     */
    void removeMember(String nodeId);

    CompletableFuture<Void> removeMemberAsync(String nodeId);

    /**
     * Snapshots this node's state machine now and compacts its log (nodes also do this on their own as the log
     * grows). Returns the index of the last entry the snapshot includes.
     *
     * @throws RaftxNotAppliedException if the node has applied nothing yet or keeps no snapshots
     */
    long snapshot();

    /**
     * Writes an online backup of the cluster's replicated state, as this node has applied it, to {@code target} on
     * this node's file system: a snapshot taken now (KV data with revisions and leases, and the membership) with the
     * cluster id and a checksum. Restore a new cluster from it with {@code NodeMain restore} (see the operations
     * guide). On the leader it includes every write acknowledged before the call.
     *
     * @throws RaftxInvalidRequestException if {@code target} exists or its directory does not
     * @throws RaftxNotAppliedException     if the node cannot snapshot or the file cannot be written
     */
    BackupFile backup(Path target);
}
