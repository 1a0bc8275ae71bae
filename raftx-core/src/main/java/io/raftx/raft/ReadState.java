package io.raftx.raft;

/**
 * The answer to {@link Raft#readIndex(long)}: once this node has applied up to {@code index}, a read started
 * before the request reflects every write completed before it (ReadIndex, Raft thesis §6.4). {@code ok} is false
 * when the node lost leadership before confirming; the read should be retried elsewhere.
 */
public record ReadState(long requestId, long index, boolean ok) { }
