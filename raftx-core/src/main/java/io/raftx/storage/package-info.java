/**
 * Durable state of a Raft node: the log ({@link io.raftx.storage.LogStore}) and the hard state
 * ({@link io.raftx.storage.HardStateStore}), persisted together by a {@link io.raftx.storage.RaftStorage} with one
 * write and one fsync per {@link io.raftx.raft.Ready} (group commit).
 *
 * <p>{@link io.raftx.storage.MvStoreRaftStorage} keeps them in an H2 MVStore file;
 * {@link io.raftx.storage.MemoryRaftStorage} keeps them in memory for tests and the simulator.
 */
package io.raftx.storage;
