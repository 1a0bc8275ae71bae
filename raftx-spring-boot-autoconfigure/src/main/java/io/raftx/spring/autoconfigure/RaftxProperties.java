package io.raftx.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Raft node this application runs, bound to {@code raftx.*}. Only {@code node-id} is required;
 * a cluster also lists its {@code members}. {@link RaftxNodeSettings} validates and resolves these values at start-up.
 */
@ConfigurationProperties("raftx")
public class RaftxProperties {

    /** Whether to run a RaftX node in this application. */
    private boolean enabled = true;

    /** Unique, stable id of this node in the cluster. Required. */
    private String nodeId;

    /**
     * This node's peer address, host:port: the transport listens on it and peers reach this node at it. Defaults to
     * this node's entry in 'members', else 127.0.0.1:7100.
     */
    private String address;

    /** Directory of this node's Raft log and state; one per node. Defaults to ./data/{node-id}. */
    private Path dataDir;

    /**
     * Initial voting members, node id to peer address (host:port). Empty means a single-node cluster of this node.
     * Must contain this node unless 'joining' is set; a joining node lists the running cluster's members here.
     */
    private Map<String, String> members = new LinkedHashMap<>();

    /**
     * Whether this node joins a running cluster: it is absent from 'members', starts empty and waits until a member
     * adds it (RaftxClusterOperations.addMember, POST /actuator/raftx/members).
     */
    private boolean joining;

    /** Cluster name sent with every peer call; nodes of another cluster are refused. */
    private String clusterId = "raftx";

    /**
     * Shared secret every peer call must carry, at least 16 printable ASCII characters, the same on every member.
     * When unset, a built-in development token is used, which is only accepted when every member address is a
     * loopback address.
     */
    private String clusterToken;

    /** How long a write or read waits for its outcome before it fails as unknown (writes) or unavailable. */
    private Duration requestTimeout = Duration.ofSeconds(5);

    private final Timing timing = new Timing();

    private final Storage storage = new Storage();

    private final Snapshot snapshot = new Snapshot();

    private final Transport transport = new Transport();

    private final Limits limits = new Limits();

    private final Watch watch = new Watch();

    private final Volatile volatileKeys = new Volatile();

    private final Shutdown shutdown = new Shutdown();

    private final Management management = new Management();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Map<String, String> getMembers() {
        return members;
    }

    public void setMembers(Map<String, String> members) {
        this.members = members;
    }

    public boolean isJoining() {
        return joining;
    }

    public void setJoining(boolean joining) {
        this.joining = joining;
    }

    public String getClusterId() {
        return clusterId;
    }

    public void setClusterId(String clusterId) {
        this.clusterId = clusterId;
    }

    public String getClusterToken() {
        return clusterToken;
    }

    public void setClusterToken(String clusterToken) {
        this.clusterToken = clusterToken;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Timing getTiming() {
        return timing;
    }

    public Storage getStorage() {
        return storage;
    }

    public Snapshot getSnapshot() {
        return snapshot;
    }

    public Transport getTransport() {
        return transport;
    }

    public Limits getLimits() {
        return limits;
    }

    public Watch getWatch() {
        return watch;
    }

    /** Bound to {@code raftx.volatile.*} ({@code volatile} is a Java keyword). */
    public Volatile getVolatile() {
        return volatileKeys;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Management getManagement() {
        return management;
    }

    /** The logical clock: election and heartbeat intervals are counted in ticks. */
    public static class Timing {

        /** Length of one logical tick. */
        private Duration tick = Duration.ofMillis(50);

        /** Base election timeout in ticks; also the leader's CheckQuorum window. Must exceed heartbeat-ticks. */
        private int electionTicks = 10;

        /** Interval between leader heartbeats, in ticks. */
        private int heartbeatTicks = 2;

        /**
         * Ticks without any message from the leader after which a follower treats it as unreachable and the
         * best-ranked follower starts a pre-vote early. Unset: two heartbeat intervals; 0: off. Must lie between
         * heartbeat-ticks and election-ticks.
         */
        private Integer silentLeaderTicks;

        /**
         * Whether the leader answers LEASE reads from its lease, without a heartbeat round. Off: LEASE reads are
         * ReadIndex reads, and a follower whose connection to a killed leader broke starts an election sooner.
         */
        private boolean leaseReads;

        public Duration getTick() {
            return tick;
        }

        public void setTick(Duration tick) {
            this.tick = tick;
        }

        public int getElectionTicks() {
            return electionTicks;
        }

        public void setElectionTicks(int electionTicks) {
            this.electionTicks = electionTicks;
        }

        public int getHeartbeatTicks() {
            return heartbeatTicks;
        }

        public void setHeartbeatTicks(int heartbeatTicks) {
            this.heartbeatTicks = heartbeatTicks;
        }

        public Integer getSilentLeaderTicks() {
            return silentLeaderTicks;
        }

        public void setSilentLeaderTicks(Integer silentLeaderTicks) {
            this.silentLeaderTicks = silentLeaderTicks;
        }

        public boolean isLeaseReads() {
            return leaseReads;
        }

        public void setLeaseReads(boolean leaseReads) {
            this.leaseReads = leaseReads;
        }
    }

    /** The MVStore file in the data directory that holds the Raft log and hard state. */
    public static class Storage {

        /** Page cache of the storage file. */
        private DataSize cacheSize = DataSize.ofMegabytes(16);

        public DataSize getCacheSize() {
            return cacheSize;
        }

        public void setCacheSize(DataSize cacheSize) {
            this.cacheSize = cacheSize;
        }
    }

    /** Automatic snapshots of the state machine and log compaction, in {@code <data-dir>/snapshots}. */
    public static class Snapshot {

        /** Log entries that trigger a snapshot; after compaction the next threshold is 1.5 times what is left. */
        private long thresholdEntries = 100_000;

        /** Log entries kept behind a snapshot so followers that lag a little catch up without one. */
        private long retainEntries = 10_000;

        /** Chunk size when streaming a snapshot to a follower. */
        private DataSize chunkSize = DataSize.ofMegabytes(1);

        public long getThresholdEntries() {
            return thresholdEntries;
        }

        public void setThresholdEntries(long thresholdEntries) {
            this.thresholdEntries = thresholdEntries;
        }

        public long getRetainEntries() {
            return retainEntries;
        }

        public void setRetainEntries(long retainEntries) {
            this.retainEntries = retainEntries;
        }

        public DataSize getChunkSize() {
            return chunkSize;
        }

        public void setChunkSize(DataSize chunkSize) {
            this.chunkSize = chunkSize;
        }
    }

    /** The gRPC peer transport. */
    public static class Transport {

        /** Interface to listen on. Defaults to the host of 'raftx.address'; 0.0.0.0 listens on all. */
        private String bindHost;

        /** Largest peer message accepted or sent. */
        private DataSize maxMessageSize = DataSize.ofMegabytes(16);

        /** Replication messages queued per peer before new ones are dropped (and resent by Raft). */
        private int maxQueuedMessages = 1024;

        /**
         * Bytes (entry data and payloads) queued per peer before new messages are dropped (and resent by Raft); at
         * least max-message-size.
         */
        private DataSize maxQueuedSize = DataSize.ofMegabytes(64);

        /**
         * Bytes of peer messages received and not yet processed by the node's event loop (all peers together). Above
         * it the node stops reading its peers' replication streams (they wait; nothing is dropped) and refuses votes
         * and forwarded requests with RESOURCE_EXHAUSTED until the loop catches up.
         */
        private DataSize maxInboundSize = DataSize.ofMegabytes(64);

        private final Tls tls = new Tls();

        public String getBindHost() {
            return bindHost;
        }

        public void setBindHost(String bindHost) {
            this.bindHost = bindHost;
        }

        public DataSize getMaxMessageSize() {
            return maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public int getMaxQueuedMessages() {
            return maxQueuedMessages;
        }

        public void setMaxQueuedMessages(int maxQueuedMessages) {
            this.maxQueuedMessages = maxQueuedMessages;
        }

        public DataSize getMaxQueuedSize() {
            return maxQueuedSize;
        }

        public void setMaxQueuedSize(DataSize maxQueuedSize) {
            this.maxQueuedSize = maxQueuedSize;
        }

        public DataSize getMaxInboundSize() {
            return maxInboundSize;
        }

        public void setMaxInboundSize(DataSize maxInboundSize) {
            this.maxInboundSize = maxInboundSize;
        }

        public Tls getTls() {
            return tls;
        }
    }

    /**
     * Mutual TLS between members: set all three files to enable it. Certificates need a subjectAltName matching the
     * host in the members' addresses.
     */
    public static class Tls {

        /** PEM certificate chain this node presents, leaf first. */
        private Path certificateChain;

        /** PEM private key of the certificate (unencrypted PKCS#8). */
        private Path privateKey;

        /** PEM bundle of the certificates peers' chains must lead to. */
        private Path trustCertificates;

        public Path getCertificateChain() {
            return certificateChain;
        }

        public void setCertificateChain(Path certificateChain) {
            this.certificateChain = certificateChain;
        }

        public Path getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(Path privateKey) {
            this.privateKey = privateKey;
        }

        public Path getTrustCertificates() {
            return trustCertificates;
        }

        public void setTrustCertificates(Path trustCertificates) {
            this.trustCertificates = trustCertificates;
        }
    }

    /** Request limits, checked before anything is proposed. */
    public static class Limits {

        /** Longest key accepted. */
        private DataSize maxKeySize = DataSize.ofKilobytes(4);

        /** Largest value accepted. */
        private DataSize maxValueSize = DataSize.ofMegabytes(1);

        /** Most compares, then-operations or else-operations in one transaction (each counted on its own). */
        private int maxTxnOps = 128;

        public DataSize getMaxKeySize() {
            return maxKeySize;
        }

        public void setMaxKeySize(DataSize maxKeySize) {
            this.maxKeySize = maxKeySize;
        }

        public DataSize getMaxValueSize() {
            return maxValueSize;
        }

        public void setMaxValueSize(DataSize maxValueSize) {
            this.maxValueSize = maxValueSize;
        }

        public int getMaxTxnOps() {
            return maxTxnOps;
        }

        public void setMaxTxnOps(int maxTxnOps) {
            this.maxTxnOps = maxTxnOps;
        }
    }

    /** Watch delivery on this node (@ClusterWatch methods and KvClient watches). */
    public static class Watch {

        /** Events a watch may have waiting before it is cancelled; @ClusterWatch methods then resume on their own. */
        private int queueCapacity = 10_000;

        /** Recent events kept in memory so a watch can resume from a past revision. */
        private int historySize = 100_000;

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public int getHistorySize() {
            return historySize;
        }

        public void setHistorySize(int historySize) {
            this.historySize = historySize;
        }
    }

    /** The volatile keyspace: memory-only replicated keys with TTLs, sequenced by the Raft leader. */
    public static class Volatile {

        /** Applied volatile operations each node keeps to replay to a node that fell behind (beyond: a snapshot). */
        private int ringCapacity = 1_048_576;

        /** Largest volatile value accepted. */
        private DataSize maxValueSize = DataSize.ofMegabytes(1);

        public int getRingCapacity() {
            return ringCapacity;
        }

        public void setRingCapacity(int ringCapacity) {
            this.ringCapacity = ringCapacity;
        }

        public DataSize getMaxValueSize() {
            return maxValueSize;
        }

        public void setMaxValueSize(DataSize maxValueSize) {
            this.maxValueSize = maxValueSize;
        }
    }

    /** Graceful shutdown. */
    public static class Shutdown {

        /**
         * How long a leader that is shutting down waits for another voter to take over before it stops anyway. Zero
         * stops without handing over.
         */
        private Duration leadershipTransferTimeout = Duration.ofSeconds(2);

        public Duration getLeadershipTransferTimeout() {
            return leadershipTransferTimeout;
        }

        public void setLeadershipTransferTimeout(Duration leadershipTransferTimeout) {
            this.leadershipTransferTimeout = leadershipTransferTimeout;
        }
    }

    /** The Actuator integration. */
    public static class Management {

        /** Whether the 'raftx' endpoint offers write operations (leadership transfer, membership, snapshot). */
        private boolean writeEnabled;

        private final Health health = new Health();

        public boolean isWriteEnabled() {
            return writeEnabled;
        }

        public void setWriteEnabled(boolean writeEnabled) {
            this.writeEnabled = writeEnabled;
        }

        public Health getHealth() {
            return health;
        }
    }

    /** The 'raftx' health contributor. */
    public static class Health {

        /** Committed entries this node may have left to apply and still report UP. */
        private long maxApplyLag = 1_000;

        public long getMaxApplyLag() {
            return maxApplyLag;
        }

        public void setMaxApplyLag(long maxApplyLag) {
            this.maxApplyLag = maxApplyLag;
        }
    }
}
