package io.raftx.server;

import io.raftx.etcd.EtcdCredentials;
import io.raftx.raft.Membership;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.transport.TransportConfig;
import io.raftx.transport.TransportTlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a standalone RaftX node needs: its id, peer address (host:port, bound and advertised), client address for
 * the etcd-compatible API (null: none), data directory, members (id to peer address) and the cluster token every
 * peer call must carry. If {@code members} includes this node they are the initial voters; if not, they are the
 * running cluster this node joins: it waits, serving nothing, until a member adds it. {@code clusterId} names the
 * cluster (peers of another cluster are refused; a restored cluster has a new one). {@code tls} (null: plaintext)
 * is mutual TLS between peers and TLS on the client port; {@code clientCredentials} (null: none) is the user etcd
 * clients authenticate as. Without either, the client API is served only when every address is on loopback.
 * {@code maxInboundBytes} bounds the bytes of peer messages waiting for the node's loop
 * ({@link TransportConfig#maxInboundBytes()}). {@code snapshotCount}: the log entries after which the node snapshots
 * its state and compacts the log (it keeps the last {@code min(10,000, snapshotCount)} entries for slow followers).
 */
public record ServerSettings(String nodeId, String peerAddress, String clientAddress, Path dataDir,
                             Map<String, String> members, String clusterToken, Duration tick, String clusterId,
                             TransportTlsConfig tls, EtcdCredentials clientCredentials, long maxInboundBytes,
                             long snapshotCount) {

    /** The default snapshot threshold. */
    public ServerSettings(String nodeId, String peerAddress, String clientAddress, Path dataDir,
                          Map<String, String> members, String clusterToken, Duration tick, String clusterId,
                          TransportTlsConfig tls, EtcdCredentials clientCredentials, long maxInboundBytes) {
        this(nodeId, peerAddress, clientAddress, dataDir, members, clusterToken, tick, clusterId, tls,
                clientCredentials, maxInboundBytes, SnapshotSettings.DEFAULTS.threshold());
    }

    /** The default inbound bound. */
    public ServerSettings(String nodeId, String peerAddress, String clientAddress, Path dataDir,
                          Map<String, String> members, String clusterToken, Duration tick, String clusterId,
                          TransportTlsConfig tls, EtcdCredentials clientCredentials) {
        this(nodeId, peerAddress, clientAddress, dataDir, members, clusterToken, tick, clusterId, tls,
                clientCredentials, TransportConfig.DEFAULT_MAX_INBOUND_BYTES);
    }

    /** Plaintext, no client credentials, the default cluster id: for nodes on loopback. */
    public ServerSettings(String nodeId, String peerAddress, String clientAddress, Path dataDir,
                          Map<String, String> members, String clusterToken, Duration tick) {
        this(nodeId, peerAddress, clientAddress, dataDir, members, clusterToken, tick,
                TransportConfig.DEFAULT_CLUSTER_ID, null, null);
    }

    /** Plaintext, no client credentials, in cluster {@code clusterId}. */
    public ServerSettings(String nodeId, String peerAddress, String clientAddress, Path dataDir,
                          Map<String, String> members, String clusterToken, Duration tick, String clusterId) {
        this(nodeId, peerAddress, clientAddress, dataDir, members, clusterToken, tick, clusterId, null, null);
    }

    public ServerSettings {
        Membership.requireValidId(nodeId);
        Membership.requireValidAddress(nodeId, peerAddress);
        if (clientAddress != null) {
            Membership.requireValidAddress(nodeId + " (client address)", clientAddress);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        members = Map.copyOf(new LinkedHashMap<>(members));
        members.forEach((id, address) -> {
            Membership.requireValidId(id);
            Membership.requireValidAddress(id, address);
        });
        if (members.containsKey(nodeId) && !members.get(nodeId).equals(peerAddress)) {
            throw new IllegalArgumentException("members give " + nodeId + " the address " + members.get(nodeId)
                    + " but this node's address is " + peerAddress + ": make them the same");
        }
        Objects.requireNonNull(clusterToken, "clusterToken");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(clusterId, "clusterId");
        if (snapshotCount < 1) {
            throw new IllegalArgumentException("snapshotCount (--snapshot-count) must be at least 1 entry, got "
                    + snapshotCount);
        }
        if (maxInboundBytes < 1) {
            throw new IllegalArgumentException("maxInboundBytes (--max-inbound-bytes) must be at least 1 byte, got "
                    + maxInboundBytes);
        }
        Map<String, String> byAddress = new LinkedHashMap<>();
        members.forEach((id, address) -> {
            String other = byAddress.putIfAbsent(address, id);
            if (other != null) {
                throw new IllegalArgumentException("members " + other + " and " + id + " have the same address "
                        + address + ": every member needs its own");
            }
        });
    }

    /** True when this node starts as one of the initial voters rather than joining. */
    public boolean bootstraps() {
        return members.containsKey(nodeId);
    }

    static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
