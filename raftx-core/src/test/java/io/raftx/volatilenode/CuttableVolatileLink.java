package io.raftx.volatilenode;

import io.raftx.node.LoopExtension;
import io.raftx.node.MembershipGate;
import io.raftx.node.NodeStatus;
import java.util.Collection;
import java.util.Set;

/**
 * Test fault injection: wraps a node's {@link VolatileExtension} and drops every volatile frame to or from the peers
 * it is told to, as if the volatile link to them were cut, while Raft's traffic is untouched.
 */
final class CuttableVolatileLink implements LoopExtension, MembershipGate {

    private final VolatileExtension keyspace;
    private volatile Set<String> cut = Set.of();

    CuttableVolatileLink(VolatileExtension keyspace) {
        this.keyspace = keyspace;
    }

    /** Drops frames to and from these peers from now on; an empty set restores the link. */
    void cutFrom(Collection<String> peers) {
        cut = Set.copyOf(peers);
    }

    @Override
    public String channel() {
        return keyspace.channel();
    }

    @Override
    public void onStart(Context context) {
        keyspace.onStart(new Context() {
            @Override
            public String nodeId() {
                return context.nodeId();
            }

            @Override
            public void send(String to, byte[] payload) {
                if (!cut.contains(to)) {
                    context.send(to, payload);
                }
            }

            @Override
            public void execute(Runnable task) {
                context.execute(task);
            }
        });
    }

    @Override
    public void onTick() {
        keyspace.onTick();
    }

    @Override
    public void onStatus(NodeStatus status) {
        keyspace.onStatus(status);
    }

    @Override
    public void onMessage(String from, byte[] payload) {
        if (!cut.contains(from)) {
            keyspace.onMessage(from, payload);
        }
    }

    @Override
    public void onStop() {
        keyspace.onStop();
    }

    @Override
    public String holdVoterChange(long term, Set<String> currentVoters, Set<String> nextVoters) {
        return keyspace.holdVoterChange(term, currentVoters, nextVoters);
    }
}
