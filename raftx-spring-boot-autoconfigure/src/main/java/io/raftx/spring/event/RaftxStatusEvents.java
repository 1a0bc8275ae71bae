package io.raftx.spring.event;

import io.raftx.node.LoopExtension;
import io.raftx.node.NodeStatus;
import io.raftx.raft.Role;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the node's status changes into {@link RaftxRoleChangedEvent}s and {@link RaftxLeaderChangedEvent}s. It runs
 * as a {@link LoopExtension}: the node calls {@link #onStatus} on its event loop after every batch of work, so every
 * role and leader change is seen (none falls between two samples), and the events are handed to the
 * {@link RaftxEventPublisher} in the order they happened. Also counts leader changes and elections for the metrics.
 */
public class RaftxStatusEvents implements LoopExtension {

    private static final Logger log = LoggerFactory.getLogger(RaftxStatusEvents.class);

    private final RaftxEventPublisher events;
    private final LongAdder leaderChanges = new LongAdder();
    private final LongAdder elections = new LongAdder();
    // Only touched on the loop thread.
    private Role lastRole;
    private String lastLeader;
    private long lastTerm = -1;

    public RaftxStatusEvents(RaftxEventPublisher events) {
        this.events = events;
    }

    /** Times a different leader was seen (including the first one after start-up). */
    public long leaderChanges() {
        return leaderChanges.sum();
    }

    /** Term increases seen: each is an election some node started. */
    public long elections() {
        return elections.sum();
    }

    @Override
    public void onStatus(NodeStatus status) {
        if (status.role() == lastRole && status.term() == lastTerm && Objects.equals(status.leaderId(), lastLeader)) {
            return;
        }
        if (lastTerm >= 0 && status.term() > lastTerm) {
            elections.add(status.term() - lastTerm);
        }
        lastTerm = Math.max(lastTerm, status.term());
        if (status.role() != lastRole) {
            events.publish(new RaftxRoleChangedEvent(this, status.nodeId(), lastRole, status.role(), status.term()));
            lastRole = status.role();
        }
        String leader = status.leaderId();
        if (!Objects.equals(leader, lastLeader)) {
            if (leader != null) {
                leaderChanges.increment();
                log.info("Node {}: leader is now {} (term {})", status.nodeId(), leader, status.term());
            } else {
                log.info("Node {}: lost leader {} (term {}); waiting for an election", status.nodeId(), lastLeader,
                        status.term());
            }
            events.publish(new RaftxLeaderChangedEvent(this, status.nodeId(), lastLeader, leader, status.term()));
            lastLeader = leader;
        }
    }

    @Override
    public String channel() {
        return "raftx.spring.status-events"; // never sends: the channel only has to be unique
    }

    @Override
    public void onStart(Context context) {
    }

    @Override
    public void onTick() {
    }

    @Override
    public void onMessage(String from, byte[] payload) {
    }

    @Override
    public void onStop() {
    }
}
