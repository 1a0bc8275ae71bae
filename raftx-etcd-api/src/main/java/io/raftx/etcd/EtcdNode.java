package io.raftx.etcd;

import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import io.raftx.volatilenode.VolatileClient;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The pieces of a running node the etcd API serves from.
 *
 * @param volatiles      the volatile keyspace, where the Lock and Election services keep their locks
 * @param startAddresses peer addresses (id to host:port) the node started with; members whose configuration entry
 *                       carries no address (the initial voters) are shown with these
 * @param storageBytes   the node's storage size on disk, reported as the db size
 */
public record EtcdNode(RaftNode node, KvClient kv, KvStateMachine stateMachine, VolatileClient volatiles,
                       Map<String, String> startAddresses, LongSupplier storageBytes) {

    public EtcdNode {
        startAddresses = Map.copyOf(startAddresses);
    }
}
