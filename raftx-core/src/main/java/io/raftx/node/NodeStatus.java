package io.raftx.node;

import io.raftx.raft.Role;

/** A snapshot of a node's consensus state, published by the event loop after every batch. */
public record NodeStatus(String nodeId, Role role, long term, String leaderId, long commitIndex, long appliedIndex,
                         long lastIndex) { }
