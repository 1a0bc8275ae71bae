/**
 * Peer transport: moves {@link io.raftx.raft.Message}s between cluster members.
 *
 * <p>{@link io.raftx.transport.Transport} is what the node runtime uses; {@link io.raftx.transport.GrpcTransport}
 * implements it over gRPC with the protocol in {@code src/main/proto/raftx/v1/peer.proto}
 * (generated classes in {@code io.raftx.transport.proto}). Delivery is one-way and best effort; responses are
 * separate messages. Each inbound call is authenticated with the shared cluster token (optionally also mutual TLS),
 * and each inbound message must come from a member and be addressed to this node.
 */
package io.raftx.transport;
