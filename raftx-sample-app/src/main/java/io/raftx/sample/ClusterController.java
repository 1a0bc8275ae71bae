package io.raftx.sample;

import io.raftx.node.NodeStatus;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
                s.commitIndex(), s.appliedIndex());
    }

    /** Must be sent to the leader; returns the view once {@code to} leads. */
    @PostMapping("/leader")
    ClusterView transferLeadership(@RequestParam String to) {
        cluster.transferLeadership(to);
        return view();
    }

    @PostMapping("/members")
    void addMember() {
        throw new NotAvailableYetException("membership changes are not available yet in this version of RaftX");
    }

    @DeleteMapping("/members/{id}")
    void removeMember(@PathVariable String id) {
        throw new NotAvailableYetException("membership changes are not available yet in this version of RaftX");
    }

    record ClusterView(String nodeId, String role, long term, String leaderId, Map<String, String> members,
                       long commitIndex, long appliedIndex) {
    }
}
