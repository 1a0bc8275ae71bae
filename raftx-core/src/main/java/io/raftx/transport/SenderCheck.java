package io.raftx.transport;

import io.grpc.Status;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sender rules every inbound message obeys, whatever call carries it: addressed to this node, sent as the node
 * its connection proved ({@link ClusterAuthInterceptor#PEER}), and from a member other than this node. The proof
 * itself is checked once per connection; here it is one string comparison per message.
 */
final class SenderCheck {

    /** A refused message: the status to end its call with, and whether the peer's identity was the reason. */
    record Refusal(Status status, boolean identity) {
    }

    private final String nodeId;
    private final Supplier<Set<String>> members;

    SenderCheck(String nodeId, Supplier<Set<String>> members) {
        this.nodeId = nodeId;
        this.members = members;
    }

    /**
     * @param what what the message is, for the refusal's text ("VOTE", "extension message", ...)
     * @param peer the node id the call's connection proved
     * @return null if the message may be accepted
     */
    Refusal check(String what, String from, String to, String peer) {
        if (!to.equals(nodeId)) {
            return new Refusal(Status.INVALID_ARGUMENT.withDescription(what + " addressed to '" + to
                    + "' was delivered to node '" + nodeId + "'"), false);
        }
        if (!from.equals(peer)) {
            return new Refusal(Status.PERMISSION_DENIED.withDescription(what + " from '" + from
                    + "' came over a connection that proved it is node '" + peer + "': a peer may only send as itself"),
                    true);
        }
        if (from.equals(nodeId) || !members.get().contains(from)) {
            return new Refusal(Status.PERMISSION_DENIED.withDescription("sender '" + from
                    + "' is not a member of the cluster as known to node '" + nodeId + "'"), false);
        }
        return null;
    }
}
