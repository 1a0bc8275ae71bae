package io.raftx.backpressure;

import io.raftx.node.LoopExtension;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.transport.InboundBackpressure;
import io.raftx.transport.Transport;

/**
 * Gives a transport's inbound bound ({@link InboundBackpressure}) the node's loop, so that peer messages count until
 * the loop has processed them rather than until they were queued. A {@link LoopExtension} only for the loop's
 * executor, which runs tasks in order with the messages the transport queued before them; its channel carries
 * nothing.
 */
public final class LoopBackpressure implements LoopExtension {

    /** The extension channel it registers; no messages are sent on it, any received are ignored. */
    public static final String CHANNEL = "raftx.inbound-backpressure";

    private final InboundBackpressure transport;

    private LoopBackpressure(InboundBackpressure transport) {
        this.transport = transport;
    }

    /**
     * Attaches {@code transport}'s inbound bound to {@code node}'s loop; call before the node starts. Does nothing
     * for a transport without {@link InboundBackpressure}.
     */
    public static void attach(RaftNode node, Transport transport) {
        if (transport instanceof InboundBackpressure bounded) {
            node.addExtension(new LoopBackpressure(bounded));
        }
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void onStart(Context context) {
        transport.processInboundOn(context::execute);
    }

    @Override
    public void onTick() {
        // nothing timed
    }

    @Override
    public void onStatus(NodeStatus status) {
        // not interested in the node's status
    }

    @Override
    public void onMessage(String from, byte[] payload) {
        // its channel carries nothing
    }

    @Override
    public void onStop() {
        // the transport releases what the stopped loop will not run (its tasks are refused)
    }
}
