package io.raftx.sample;

import io.raftx.node.NodeStatus;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** This node's view of the cluster, and leadership transfer. */
@RestController
@RequestMapping("/cluster")
class ClusterController {

    private final RaftxClusterOperations cluster;

    ClusterController(StringRaftxTemplate template) {
        this.cluster = template.opsForCluster();
    }

    @GetMapping
    ClusterView view() {
        NodeStatus s = cluster.status();
        return new ClusterView(s.nodeId(), s.role().name(), s.term(), s.leaderId(), cluster.members(),
                cluster.learners(), s.commitIndex(), s.appliedIndex());
    }

    /** Must be sent to the leader; returns the view once {@code to} leads. */
    @PostMapping("/leader")
    ClusterView transferLeadership(@RequestParam String to) {
        cluster.transferLeadership(to);
        return view();
    }

    /** Adds a node started with {@code raftx.joining=true}; returns once it votes. Any member may be asked. */
    @PostMapping("/members")
    ClusterView addMember(@RequestBody NewMember member) {
        if (member.id() == null || member.id().isBlank() || member.address() == null || member.address().isBlank()) {
            throw new BadRequestException("the body must be {\"id\": \"n4\", \"address\": \"host:port\"} with"
                    + " both fields set");
        }
        cluster.addMember(member.id(), member.address());
        return view();
    }

    /** Removes a member; removing the leader hands leadership over first. Any member may be asked. */
    @DeleteMapping("/members/{id}")
    ClusterView removeMember(@PathVariable String id) {
        cluster.removeMember(id);
        return view();
    }

    record NewMember(String id, String address) {
    }

    /** {@code members} are the voters; {@code learners} are nodes being added that do not vote yet. */
    record ClusterView(String nodeId, String role, long term, String leaderId, Map<String, String> members,
                       Map<String, String> learners, long commitIndex, long appliedIndex) {
    }
}
