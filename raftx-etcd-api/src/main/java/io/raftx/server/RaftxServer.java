package io.raftx.server;

import io.raftx.etcd.DirectorySize;
import io.raftx.etcd.EtcdApiServer;
import io.raftx.etcd.EtcdApiSettings;
import io.raftx.etcd.EtcdClientSecurity;
import io.raftx.etcd.EtcdNode;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.watch.WatchHub;
import io.raftx.node.NodeConfig;
import io.raftx.node.RaftNode;
import io.raftx.raft.RaftConfig;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.node.OnlineBackup;
import io.raftx.snapshot.BackupFile;
import io.raftx.storage.DataDirIdentity;
import io.raftx.storage.DataDirLayout;
import io.raftx.storage.MvStoreRaftStorage;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportConfig;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileExtension;
import io.raftx.volatilenode.VolatileSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One RaftX node with everything wired: MVStore storage and snapshot files in the data directory, the gRPC peer
 * transport, the KV state machine, the volatile keyspace (memory only, beside Raft on the node's loop) and, if a
 * client address is set, the etcd v3 KV API for clients (etcdctl works against it) and the node status service
 * {@code raftx.v1.Admin/Status} ({@link AdminService}).
 * The Spring Boot starter builds the same pieces as beans; this class serves the standalone process and tests.
 */
public final class RaftxServer implements AutoCloseable {

    private final ServerSettings settings;
    private final KvStateMachine stateMachine = new KvStateMachine();
    private final RaftNode node;
    private final KvClient kv;
    private final GrpcTransport transport;
    private final WatchHub volatileWatches = new WatchHub();
    private final VolatileClient volatiles;
    private final OnlineBackup backups;
    private EtcdApiServer clientServer;
    private UnaryOperator<EtcdApiSettings> etcdSettings = UnaryOperator.identity();
    private AdminService admin;

    public RaftxServer(ServerSettings settings) {
        this(settings, VolatileSettings.defaults());
    }

    public RaftxServer(ServerSettings settings, VolatileSettings volatileSettings) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + settings.dataDir() + ": " + e.getMessage(), e);
        }
        TransportConfig transportConfig = TransportConfig.builder(settings.nodeId(), settings.clusterToken())
                .bind(ServerSettings.host(settings.peerAddress()), ServerSettings.port(settings.peerAddress()))
                .clusterId(settings.clusterId()).tls(settings.tls()).maxInboundBytes(settings.maxInboundBytes())
                .build();
        DataDirIdentity.claim(settings.dataDir(), transportConfig.clusterId(), settings.nodeId());
        RaftStorage storage = MvStoreRaftStorage.open(DataDirLayout.storageFile(settings.dataDir()));
        transport = new GrpcTransport(transportConfig);
        transport.updatePeers(settings.members());
        // A joining node starts with no voters: its configuration comes from the log the leader sends it.
        List<String> voters = settings.bootstraps() ? new ArrayList<>(settings.members().keySet()) : List.of();
        NodeConfig config = NodeConfig.of(settings.nodeId(), voters).withTick(settings.tick())
                .withRaft(RaftConfig.of(settings.nodeId(), voters)).withPeerAddresses(settings.members())
                .withSnapshots(SnapshotSettings.DEFAULTS.withThreshold(settings.snapshotCount())
                        .withRetainEntries(Math.min(SnapshotSettings.DEFAULTS.retainEntries(), settings.snapshotCount())));
        FileSnapshotStore snapshots = FileSnapshotStore.open(DataDirLayout.snapshotDirectory(settings.dataDir()));
        node = new RaftNode(config, storage, snapshots, transport, stateMachine);
        backups = new OnlineBackup(node, snapshots, settings.clusterId());
        kv = new KvClient(node, stateMachine);
        VolatileExtension volatileKeyspace = new VolatileExtension(volatileSettings, settings.tick(), volatileWatches);
        node.addExtension(volatileKeyspace);
        volatiles = new VolatileClient(volatileKeyspace);
    }

    /** Adjusts the etcd API's settings (quota, lease TTLs, ...) before {@link #start()}; the address stays. */
    public RaftxServer withEtcdSettings(UnaryOperator<EtcdApiSettings> adjust) {
        this.etcdSettings = adjust;
        return this;
    }

    public RaftxServer start() {
        EtcdClientSecurity security = new EtcdClientSecurity(settings.tls(), settings.clientCredentials());
        if (settings.clientAddress() != null) {
            List<String> peerAddresses = new ArrayList<>(settings.members().values());
            peerAddresses.add(settings.peerAddress());
            security.requireAuthenticationUnlessLoopback(settings.clientAddress(), peerAddresses,
                    "give --etcd-user and --etcd-password-file, or --tls-cert, --tls-key and --tls-ca"
                            + " (clients then need a certificate signed by that CA or the user's password)");
        }
        node.start();
        if (settings.clientAddress() != null) {
            try {
                admin = new AdminService(node, this::backup, settings.dataDir());
                clientServer = new EtcdApiServer(etcdSettings.apply(EtcdApiSettings.of(settings.clientAddress())),
                        security, new EtcdNode(node, kv, stateMachine, volatiles, settings.members(),
                                new DirectorySize(settings.dataDir())),
                        List.of(admin))
                        .start();
            } catch (RuntimeException e) {
                admin.close();
                node.close();
                throw new IllegalStateException("node " + settings.nodeId() + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** Writes an online backup of this node's state to {@code target} (which must not exist); see {@link OnlineBackup}. */
    public BackupFile backup(Path target, Duration timeout) throws TimeoutException, InterruptedException {
        return backups.writeTo(target, timeout);
    }

    public RaftNode node() {
        return node;
    }

    public KvClient kv() {
        return kv;
    }

    /** The volatile keyspace: memory-only replicated keys with TTLs, events in their own watch hub. */
    public VolatileClient volatiles() {
        return volatiles;
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    public GrpcTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        if (clientServer != null) {
            clientServer.close();
        }
        if (admin != null) {
            admin.close();
        }
        node.close();
        volatileWatches.close();
    }
}
