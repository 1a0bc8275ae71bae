package io.raftx.node;

import io.raftx.storage.MemoryRaftStorage;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.Transport;

/**
 * Public test-scope access to the package-private in-JVM transport and memory storage, for cluster tests in other
 * packages (e.g. the KV store's). One instance is one network; close it after the nodes.
 */
public final class LocalNetwork implements AutoCloseable {

    private final LocalTransport.Hub hub = new LocalTransport.Hub();

    /** This node's endpoint on the network; pass it to one RaftNode. */
    public Transport transport(String nodeId) {
        return hub.join(nodeId);
    }

    /** Storage that survives a node's restart within the JVM. */
    public static RaftStorage memoryStorage() {
        return new MemoryRaftStorage();
    }

    /** Cuts the node off from every other node (messages and forwarding), or reconnects it. */
    public void isolate(String nodeId, boolean isolated) {
        if (isolated) {
            hub.isolated.add(nodeId);
        } else {
            hub.isolated.remove(nodeId);
        }
    }

    @Override
    public void close() {
        hub.executor.shutdownNow();
    }
}
