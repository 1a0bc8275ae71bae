package io.raftx.spring.autoconfigure;

import io.raftx.node.NodeConfig;

/**
 * Adjusts the node's configuration beyond the {@code raftx.*} properties (for example replication windows through
 * {@code config.withRaft(config.raft().withReplication(...))}). Applied in order to the configuration the
 * properties produced.
 */
@FunctionalInterface
public interface RaftxNodeConfigCustomizer {

    NodeConfig customize(NodeConfig config);
}
