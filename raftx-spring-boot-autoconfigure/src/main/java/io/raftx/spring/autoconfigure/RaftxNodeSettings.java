package io.raftx.spring.autoconfigure;

import io.raftx.kv.KvLimits;
import io.raftx.kv.watch.WatchOptions;
import io.raftx.node.NodeConfig;
import io.raftx.raft.Membership;
import io.raftx.raft.RaftConfig;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.spring.autoconfigure.diagnostics.ClusterTokenRequiredException;
import io.raftx.spring.autoconfigure.diagnostics.DuplicateMemberAddressException;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import io.raftx.spring.autoconfigure.diagnostics.MissingNodeIdException;
import io.raftx.spring.autoconfigure.diagnostics.NodeNotInMembersException;
import io.raftx.transport.TransportConfig;
import io.raftx.transport.TransportTlsConfig;
import io.raftx.volatilenode.VolatileSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link RaftxProperties} checked and resolved into what the node runs with: the member list, this node's address,
 * the data directory and the core's configuration objects. Creating it is the start-up validation: every mistake is
 * reported as an exception a failure analyzer turns into a message saying what to change.
 */
public final class RaftxNodeSettings {

    /**
     * Used when {@code raftx.cluster-token} is unset. It is public, so it is only accepted when every member is on
     * loopback, where nobody but local processes can reach the cluster.
     */
    public static final String DEVELOPMENT_TOKEN = "raftx-development-token-not-secret";

    static final String DEFAULT_ADDRESS = "127.0.0.1:7100";

    private final String nodeId;
    private final String address;
    private final Path dataDir;
    private final Map<String, String> members;
    private final boolean joining;
    private final boolean developmentToken;
    private final NodeConfig nodeConfig;
    private final TransportConfig transportConfig;
    private final KvLimits kvLimits;
    private final WatchOptions watchOptions;
    private final VolatileSettings volatileSettings;

    private RaftxNodeSettings(Resolver r) {
        this.nodeId = r.nodeId;
        this.address = r.address.toString();
        this.dataDir = r.dataDir;
        this.members = Collections.unmodifiableMap(r.members);
        this.joining = r.joining;
        this.developmentToken = r.developmentToken;
        this.nodeConfig = r.nodeConfig;
        this.transportConfig = r.transportConfig;
        this.kvLimits = r.kvLimits;
        this.watchOptions = r.watchOptions;
        this.volatileSettings = r.volatileSettings;
    }

    /** Validates {@code properties}; throws the first problem found (see the diagnostics package). */
    public static RaftxNodeSettings from(RaftxProperties properties) {
        return new RaftxNodeSettings(new Resolver(properties));
    }

    public String nodeId() {
        return nodeId;
    }

    /** This node's peer address as the other members know it. */
    public String address() {
        return address;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * The members this node starts with, id to address: the initial voters, or for a {@link #joining()} node the
     * running cluster it waits to be added to. The live membership is in {@code RaftNode.status().membership()}.
     */
    public Map<String, String> members() {
        return members;
    }

    /** Whether this node starts outside the membership and waits to be added. */
    public boolean joining() {
        return joining;
    }

    /** Whether the public development token is in use because no cluster token was configured. */
    public boolean developmentToken() {
        return developmentToken;
    }

    public NodeConfig nodeConfig() {
        return nodeConfig;
    }

    public TransportConfig transportConfig() {
        return transportConfig;
    }

    public KvLimits kvLimits() {
        return kvLimits;
    }

    public WatchOptions watchOptions() {
        return watchOptions;
    }

    public VolatileSettings volatileSettings() {
        return volatileSettings;
    }

    @Override
    public String toString() {
        return "RaftxNodeSettings[nodeId=" + nodeId + ", address=" + address + ", members=" + members + ", dataDir="
                + dataDir + ", joining=" + joining + "]";
    }

    /** The checks, in the order a user would want to hear about them. */
    private static final class Resolver {

        final String nodeId;
        final MemberAddress address;
        /** Sorted by id: the binder's map order depends on where the properties came from. */
        final Map<String, String> members = new TreeMap<>();
        final boolean joining;
        final Path dataDir;
        boolean developmentToken;
        final NodeConfig nodeConfig;
        final TransportConfig transportConfig;
        final KvLimits kvLimits;
        final WatchOptions watchOptions;
        final VolatileSettings volatileSettings;

        Resolver(RaftxProperties p) {
            nodeId = checkNodeId(p.getNodeId());
            joining = p.isJoining();
            Map<String, MemberAddress> parsed = parseMembers(p.getMembers());
            address = ownAddress(p, parsed);
            if (parsed.isEmpty() && !joining) {
                parsed.put(nodeId, address);
            }
            checkDistinct(parsed);
            parsed.forEach((id, a) -> members.put(id, a.toString()));
            dataDir = p.getDataDir() != null ? p.getDataDir() : Path.of("data", nodeId);
            nodeConfig = nodeConfig(p).withPeerAddresses(members).withSnapshots(snapshotSettings(p.getSnapshot()));
            transportConfig = transportConfig(p, parsed.values());
            kvLimits = kvLimits(p.getLimits());
            watchOptions = watchOptions(p.getWatch());
            volatileSettings = volatileSettings(p.getVolatile(), nodeConfig.requestTimeout());
            checkRemainingSettings(p);
        }

        private static String checkNodeId(String id) {
            if (id == null || id.isBlank()) {
                throw new MissingNodeIdException();
            }
            requireValidId("raftx.node-id", id);
            return id;
        }

        private Map<String, MemberAddress> parseMembers(Map<String, String> configured) {
            Map<String, MemberAddress> parsed = new LinkedHashMap<>();
            configured.forEach((id, text) -> {
                requireValidId("raftx.members", id);
                parsed.put(id, MemberAddress.parse("raftx.members." + id, text));
            });
            return parsed;
        }

        private MemberAddress ownAddress(RaftxProperties p, Map<String, MemberAddress> parsed) {
            MemberAddress listed = parsed.get(nodeId);
            MemberAddress configured = p.getAddress() == null ? null : MemberAddress.parse("raftx.address", p.getAddress());
            if (!parsed.isEmpty() && listed == null && !joining) {
                throw new NodeNotInMembersException(nodeId, p.getMembers());
            }
            if (joining && listed != null) {
                throw new InvalidRaftxPropertyException("raftx.joining", "true", "node '" + nodeId
                        + "' is listed in raftx.members, so it is an initial member and does not join; remove"
                        + " raftx.joining or remove its members entry");
            }
            if (listed != null && configured != null && !listed.normalized().equals(configured.normalized())) {
                throw new InvalidRaftxPropertyException("raftx.address", p.getAddress(), "it differs from raftx.members."
                        + nodeId + " (" + listed + "), where the other members reach this node; make them equal"
                        + " (raftx.transport.bind-host chooses another interface to listen on)");
            }
            if (joining && configured == null) {
                throw new InvalidRaftxPropertyException("raftx.address", null,
                        "a joining node must say where it listens, since raftx.members does not list it");
            }
            if (joining && parsed.isEmpty()) {
                throw new InvalidRaftxPropertyException("raftx.members", "", "a joining node needs the members of"
                        + " the running cluster: it only accepts messages from them, including the leader adding it");
            }
            if (configured != null) {
                return configured;
            }
            return listed != null ? listed : MemberAddress.parse("raftx.address", DEFAULT_ADDRESS);
        }

        private void checkDistinct(Map<String, MemberAddress> parsed) {
            Map<String, List<String>> idsByAddress = new LinkedHashMap<>();
            parsed.forEach((id, a) -> idsByAddress.computeIfAbsent(a.normalized(), k -> new ArrayList<>()).add(id));
            if (joining) {
                idsByAddress.computeIfAbsent(address.normalized(), k -> new ArrayList<>()).add(nodeId);
            }
            idsByAddress.forEach((a, ids) -> {
                if (ids.size() > 1) {
                    throw new DuplicateMemberAddressException(a, ids);
                }
            });
        }

        private static NodeConfig nodeConfig(RaftxProperties p) {
            RaftxProperties.Timing t = p.getTiming();
            Duration tick = t.getTick();
            require(tick != null && !tick.isNegative() && !tick.isZero(), "raftx.timing.tick", String.valueOf(tick),
                    "must be a positive duration");
            require(t.getHeartbeatTicks() >= 1, "raftx.timing.heartbeat-ticks", String.valueOf(t.getHeartbeatTicks()),
                    "must be at least 1");
            require(t.getElectionTicks() > t.getHeartbeatTicks(), "raftx.timing.election-ticks",
                    String.valueOf(t.getElectionTicks()), "must be greater than raftx.timing.heartbeat-ticks ("
                            + t.getHeartbeatTicks() + "), or followers would start elections between heartbeats");
            Duration timeout = p.getRequestTimeout();
            require(timeout != null && timeout.compareTo(tick) > 0, "raftx.request-timeout", String.valueOf(timeout),
                    "must be longer than one tick (" + tick + ")");
            String id = Objects.requireNonNull(p.getNodeId());
            // A joining node starts without voters: its configuration arrives in the log the leader sends it.
            List<String> voters = p.isJoining() ? List.of()
                    : p.getMembers().isEmpty() ? List.of(id) : new ArrayList<>(new TreeMap<>(p.getMembers()).keySet());
            RaftConfig defaults = RaftConfig.of(id, voters);
            RaftConfig raft = defaults.withElection(t.getElectionTicks(), t.getHeartbeatTicks(),
                    defaults.rankGapTicks(), defaults.jitterTicks()).withLeaseReads(t.isLeaseReads());
            Integer silent = t.getSilentLeaderTicks();
            if (silent != null) {
                require(silent == 0 || (silent > t.getHeartbeatTicks() && silent < t.getElectionTicks()),
                        "raftx.timing.silent-leader-ticks", String.valueOf(silent), "must be 0 (off) or between "
                                + "raftx.timing.heartbeat-ticks (" + t.getHeartbeatTicks() + ") and "
                                + "raftx.timing.election-ticks (" + t.getElectionTicks() + "), exclusive");
                raft = raft.withSilentLeaderTicks(silent);
            }
            return NodeConfig.of(id, raft.voters()).withRaft(raft).withTick(tick).withRequestTimeout(timeout);
        }

        private TransportConfig transportConfig(RaftxProperties p, Iterable<MemberAddress> memberAddresses) {
            RaftxProperties.Transport t = p.getTransport();
            String bindHost = t.getBindHost() != null ? t.getBindHost() : address.host();
            String token = clusterToken(p.getClusterToken(), memberAddresses, t.getBindHost());
            long maxMessage = t.getMaxMessageSize().toBytes();
            require(maxMessage >= TransportConfig.MIN_MESSAGE_BYTES && maxMessage <= Integer.MAX_VALUE,
                    "raftx.transport.max-message-size", t.getMaxMessageSize().toString(),
                    "must be between " + TransportConfig.MIN_MESSAGE_BYTES + " bytes and 2GB");
            require(t.getMaxQueuedMessages() >= 1, "raftx.transport.max-queued-messages",
                    String.valueOf(t.getMaxQueuedMessages()), "must be at least 1");
            require(t.getMaxQueuedSize().toBytes() >= maxMessage, "raftx.transport.max-queued-size",
                    t.getMaxQueuedSize().toString(), "must be at least raftx.transport.max-message-size ("
                    + t.getMaxMessageSize() + "), so that the largest message fits a peer's queue");
            require(t.getMaxInboundSize() != null && t.getMaxInboundSize().toBytes() >= 1,
                    "raftx.transport.max-inbound-size", String.valueOf(t.getMaxInboundSize()),
                    "must be positive (e.g. 64MB): the bytes of peer messages that may wait for the node's loop");
            require(p.getClusterId() != null && !p.getClusterId().isBlank(), "raftx.cluster-id", p.getClusterId(),
                    "must not be empty");
            TransportConfig.Builder builder = TransportConfig.builder(nodeId, token)
                    .bind(bindHost, address.port())
                    .clusterId(p.getClusterId())
                    .maxMessageBytes((int) maxMessage)
                    .maxQueuedMessages(t.getMaxQueuedMessages())
                    .maxQueuedBytes(t.getMaxQueuedSize().toBytes())
                    .maxInboundBytes(t.getMaxInboundSize().toBytes())
                    .tls(tls(t.getTls()));
            try {
                return builder.build();
            } catch (IllegalArgumentException e) {
                // What is left to fail here is the token's or cluster id's character set; never echo the token.
                boolean aboutToken = e.getMessage() != null && e.getMessage().contains("clusterToken");
                throw aboutToken
                        ? new InvalidRaftxPropertyException("raftx.cluster-token", null, e.getMessage())
                        : new InvalidRaftxPropertyException("raftx.cluster-id", p.getClusterId(), e.getMessage());
            }
        }

        /** @param bindHost the configured bind host, or null when the node listens on its address' host */
        private String clusterToken(String configured, Iterable<MemberAddress> memberAddresses, String bindHost) {
            if (configured != null) {
                require(configured.length() >= TransportConfig.MIN_TOKEN_LENGTH, "raftx.cluster-token", null,
                        "must be at least " + TransportConfig.MIN_TOKEN_LENGTH + " characters");
                return configured;
            }
            List<String> exposed = new ArrayList<>();
            for (MemberAddress a : memberAddresses) {
                if (!a.isLoopback()) {
                    exposed.add(a.toString());
                }
            }
            if (!address.isLoopback()) {
                exposed.add(address.toString());
            }
            if (bindHost != null && !new MemberAddress(bindHost, address.port()).isLoopback()) {
                exposed.add(bindHost + " (raftx.transport.bind-host)");
            }
            if (!exposed.isEmpty()) {
                throw new ClusterTokenRequiredException(exposed.stream().distinct().toList());
            }
            developmentToken = true;
            return DEVELOPMENT_TOKEN;
        }

        private static TransportTlsConfig tls(RaftxProperties.Tls tls) {
            int set = (tls.getCertificateChain() != null ? 1 : 0) + (tls.getPrivateKey() != null ? 1 : 0)
                    + (tls.getTrustCertificates() != null ? 1 : 0);
            if (set == 0) {
                return null;
            }
            require(set == 3, "raftx.transport.tls", null, "set all of certificate-chain, private-key and"
                    + " trust-certificates to enable mutual TLS, or none of them");
            try {
                return new TransportTlsConfig(tls.getCertificateChain(), tls.getPrivateKey(), tls.getTrustCertificates());
            } catch (IllegalArgumentException e) {
                throw new InvalidRaftxPropertyException("raftx.transport.tls", null, e.getMessage());
            }
        }

        private static KvLimits kvLimits(RaftxProperties.Limits l) {
            long key = l.getMaxKeySize().toBytes();
            long value = l.getMaxValueSize().toBytes();
            require(key >= 1 && key <= Integer.MAX_VALUE, "raftx.limits.max-key-size", l.getMaxKeySize().toString(),
                    "must be between 1 byte and 2GB");
            require(value >= 0 && value <= Integer.MAX_VALUE, "raftx.limits.max-value-size",
                    l.getMaxValueSize().toString(), "must be between 0 and 2GB");
            require(l.getMaxTxnOps() >= 1, "raftx.limits.max-txn-ops", String.valueOf(l.getMaxTxnOps()),
                    "must be at least 1");
            return new KvLimits((int) key, (int) value, l.getMaxTxnOps());
        }

        private static WatchOptions watchOptions(RaftxProperties.Watch w) {
            require(w.getQueueCapacity() >= 1, "raftx.watch.queue-capacity", String.valueOf(w.getQueueCapacity()),
                    "must be at least 1");
            require(w.getHistorySize() >= 0, "raftx.watch.history-size", String.valueOf(w.getHistorySize()),
                    "must not be negative");
            return WatchOptions.defaults().withQueueCapacity(w.getQueueCapacity()).withHistorySize(w.getHistorySize());
        }

        private static VolatileSettings volatileSettings(RaftxProperties.Volatile v, Duration requestTimeout) {
            VolatileSettings defaults = VolatileSettings.defaults();
            require(v.getRingCapacity() >= 1, "raftx.volatile.ring-capacity", String.valueOf(v.getRingCapacity()),
                    "must be at least 1");
            long maxValue = v.getMaxValueSize().toBytes();
            require(maxValue >= 1 && maxValue <= defaults.maxFrameBytes() / 2, "raftx.volatile.max-value-size",
                    v.getMaxValueSize().toString(), "must be between 1 byte and " + defaults.maxFrameBytes() / 2
                            / (1024 * 1024) + "MB");
            return new VolatileSettings(v.getRingCapacity(), requestTimeout, defaults.chunkBytes(),
                    defaults.maxFrameBytes(), (int) maxValue);
        }

        private static SnapshotSettings snapshotSettings(RaftxProperties.Snapshot s) {
            require(s.getThresholdEntries() >= 1, "raftx.snapshot.threshold-entries",
                    String.valueOf(s.getThresholdEntries()), "must be at least 1");
            require(s.getRetainEntries() >= 0, "raftx.snapshot.retain-entries", String.valueOf(s.getRetainEntries()),
                    "must not be negative");
            long chunk = s.getChunkSize().toBytes();
            require(chunk >= 1024 && chunk <= 64L << 20, "raftx.snapshot.chunk-size", s.getChunkSize().toString(),
                    "must be between 1KB and 64MB");
            return new SnapshotSettings(s.getThresholdEntries(), s.getRetainEntries(), (int) chunk);
        }

        private static void checkRemainingSettings(RaftxProperties p) {
            require(p.getStorage().getCacheSize().toMegabytes() >= 1, "raftx.storage.cache-size",
                    p.getStorage().getCacheSize().toString(), "must be at least 1MB");
            Duration transfer = p.getShutdown().getLeadershipTransferTimeout();
            require(transfer != null && !transfer.isNegative(), "raftx.shutdown.leadership-transfer-timeout",
                    String.valueOf(transfer), "must not be negative");
            require(p.getManagement().getHealth().getMaxApplyLag() >= 0, "raftx.management.health.max-apply-lag",
                    String.valueOf(p.getManagement().getHealth().getMaxApplyLag()), "must not be negative");
        }

        /** The core's rule (letters, digits, '.', '_', '-'), reported against the property it came from. */
        private static void requireValidId(String property, String id) {
            try {
                Membership.requireValidId(id);
            } catch (IllegalArgumentException e) {
                throw new InvalidRaftxPropertyException(property, id, "node ids are 1 to 64 letters, digits, '.', '_'"
                        + " or '-'");
            }
        }

        private static void require(boolean ok, String property, String value, String reason) {
            if (!ok) {
                throw new InvalidRaftxPropertyException(property, value, reason);
            }
        }
    }
}
