package io.raftx.volatilenode;

/**
 * The definite outcome of a volatile write: it took position {@code index} (the global volatile op index, which
 * is also the key's new version when {@code applied}) in epoch {@code epoch}.
 *
 * @param applied false only for a conditional write (putIfAbsent, putIfVersion, deleteIfVersion) whose condition did
 *                not hold at its position: it changed nothing
 */
public record VolatileWriteResult(long index, long epoch, boolean applied) { }
