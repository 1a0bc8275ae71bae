package io.raftx.spring.event;

import org.springframework.context.ApplicationEvent;

/**
 * Root of the {@link ApplicationEvent}s RaftX publishes. They are published one at a time, in the order things
 * happened on this node, from one dedicated thread (never the Raft event loop): a slow listener delays later
 * RaftX events but never the node.
 */
public abstract class RaftxEvent extends ApplicationEvent {

    private final String nodeId;

    protected RaftxEvent(Object source, String nodeId) {
        super(source);
        this.nodeId = nodeId;
    }

    /** The node that observed the change: this instance's {@code raftx.node-id}. */
    public String getNodeId() {
        return nodeId;
    }
}
