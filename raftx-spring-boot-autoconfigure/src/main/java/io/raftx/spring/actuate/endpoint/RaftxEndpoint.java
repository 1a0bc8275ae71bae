package io.raftx.spring.actuate.endpoint;

import io.raftx.node.NodeStatus;
import io.raftx.spring.core.RaftxClusterOperations;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code raftx} Actuator endpoint, read-only: this node's Raft status and the membership. Write operations are
 * in {@link WritableRaftxEndpoint}, used instead when {@code raftx.management.write-enabled=true}.
 */
@Endpoint(id = "raftx")
public class RaftxEndpoint {

    private final RaftxClusterOperations cluster;

    public RaftxEndpoint(RaftxClusterOperations cluster) {
        this.cluster = cluster;
    }

    @ReadOperation
    public NodeDescriptor node() {
        NodeStatus s = cluster.status();
        return new NodeDescriptor(s.nodeId(), s.role().name(), s.term(), s.leaderId(), s.commitIndex(),
                s.appliedIndex(), s.lastIndex(), cluster.members(), cluster.learners());
    }

    protected RaftxClusterOperations cluster() {
        return cluster;
    }

    /** What {@code GET /actuator/raftx} returns; {@code members} are the voters. */
    public record NodeDescriptor(String nodeId, String role, long term, String leaderId, long commitIndex,
                                 long appliedIndex, long lastIndex, Map<String, String> members,
                                 Map<String, String> learners) {
    }
}
