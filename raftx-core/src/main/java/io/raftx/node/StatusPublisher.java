package io.raftx.node;

import io.raftx.raft.Membership;
import io.raftx.raft.Raft;
import io.raftx.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every loop pass: publishes the node's {@link NodeStatus} for other threads, keeps the transport's peers in
 * step with the configuration in force, and logs each new leader once (an operator's first question after a fault).
 */
final class StatusPublisher {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    private final NodeConfig config;
    private final Transport transport;
    /** Loop thread: the configuration the transport's peers were last set from. */
    private Membership peersFor;
    private volatile NodeStatus status;

    StatusPublisher(NodeConfig config, Transport transport) {
        this.config = config;
        this.transport = transport;
    }

    /** The last published status; null before the node started. Any thread. */
    NodeStatus current() {
        return status;
    }

    /** Loop thread. */
    NodeStatus publish(Raft raft, long appliedIndex) {
        Membership membership = raft.membership();
        boolean managesPeers = !config.peerAddresses().isEmpty() || !membership.addresses().isEmpty();
        if (managesPeers && !membership.equals(peersFor)) {
            peersFor = membership;
            transport.updatePeers(MembershipCommands.peerAddresses(membership, config.peerAddresses(), raft.id()));
        }
        NodeStatus previous = status;
        NodeStatus now = new NodeStatus(raft.id(), raft.role(), raft.term(), raft.leaderId(), raft.commitIndex(),
                appliedIndex, raft.lastIndex(), membership, raft.silenceThresholdTicks() * config.tick().toMillis());
        status = now;
        if (now.hasNewCampaignSince(previous)) {
            // Its pre-vote won (or a transfer asked it): one line per election round, to tell rounds that failed.
            log.info("node {}: campaigning in term {} (last index {})", raft.id(), now.term(), now.lastIndex());
        }
        if (now.hasNewLeaderSince(previous)) {
            String who = now.leaderId().equals(raft.id()) ? "this node" : now.leaderId();
            log.info("node {}: {} leads in term {}", raft.id(), who, now.term());
        }
        return now;
    }
}
