package io.raftx.node;

/** A command's result: the log index it was applied at and what the state machine returned. */
public record Applied(long index, byte[] result) { }
