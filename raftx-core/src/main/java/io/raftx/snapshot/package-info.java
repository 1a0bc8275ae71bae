/**
 * Snapshots, in one place: the files ({@link io.raftx.snapshot.SnapshotStore}, {@link io.raftx.snapshot.SnapshotFormat}),
 * taking, installing and restoring them on the node's loop thread ({@link io.raftx.snapshot.Snapshotter}, with the
 * node's state behind {@link io.raftx.snapshot.SnapshotPayload}), shipping them to followers
 * ({@link io.raftx.snapshot.SnapshotShipper}), the interfaces a transport implements to stream them
 * ({@link io.raftx.snapshot.SnapshotStreaming}, {@link io.raftx.snapshot.SnapshotSink},
 * {@link io.raftx.snapshot.InboundSnapshot}, {@link io.raftx.snapshot.OutboundSnapshot}), staging received files
 * ({@link io.raftx.snapshot.SnapshotStaging}), and backups ({@link io.raftx.snapshot.BackupFile},
 * {@link io.raftx.snapshot.ClusterRestore}).
 *
 * <p>It depends on the core and on {@code io.raftx.storage} only: the transport and the node depend on it, never the
 * reverse, and with storage it is the only package that touches files (both checked by raftx-core's
 * {@code ArchitectureTest}). {@code Snapshotter} and {@code SnapshotShipper} are public for {@code RaftNode}; they
 * are not meant to be used by applications, which call {@code RaftNode.snapshot()} and {@code snapshotStats()}.
 */
package io.raftx.snapshot;
