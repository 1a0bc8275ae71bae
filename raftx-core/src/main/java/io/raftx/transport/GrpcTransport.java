package io.raftx.transport;

import io.grpc.ChannelCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftx.raft.Message;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.snapshot.SnapshotStreaming;
import io.raftx.snapshot.SnapshotTransferException;
import io.raftx.transport.proto.RaftPeerGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over gRPC (Netty, HTTP/2).
 *
 * <pre>{@code
 * TransportConfig cfg = TransportConfig.builder("n1", secretToken).bind("0.0.0.0", 7001).build();
 * GrpcTransport transport = new GrpcTransport(cfg);
 * transport.updatePeers(Map.of("n1", "10.0.0.1:7001", "n2", "10.0.0.2:7001", "n3", "10.0.0.3:7001"));
 * transport.start(eventLoop::enqueueIncoming, null);   // handlers must not block; null: no forwarded requests
 * transport.send(message);                        // from the event loop; never blocks
 * }</pre>
 *
 * <p>Per peer there is one {@link PeerChannel}: a {@link ReplicationStream} (a bounded queue drained into a
 * long-lived {@code Replicate} stream with gRPC flow control, for APPEND, HEARTBEAT and their responses) and
 * {@link PeerCalls}: unary {@code Vote} calls with a deadline for (pre-)votes and their responses, extension
 * messages, forwarded requests, and one {@code InstallSnapshot} call per snapshot transfer (chunked, resumable).
 * Every inbound call must carry the cluster token and come over a connection that proved the node id it speaks for
 * (its TLS certificate, or without TLS an answer to the connection's challenge: {@link PeerConnection}); every
 * inbound message must come from that node, a member, and be addressed to this node. Inbound bytes waiting for the
 * node's loop are bounded ({@link InboundBackpressure}).
 */
public final class GrpcTransport implements Transport, SnapshotStreaming, ExtensionMessaging, PeerReachability,
        InboundBackpressure {

    private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);
    private static final AtomicInteger SERVER_THREADS = new AtomicInteger();

    private final TransportConfig config;
    private final ChannelCredentials channelCredentials;
    private final ServerCredentials serverCredentials;
    private final TransportMetrics metrics = new TransportMetrics();
    private final LogLimiter logLimiter;
    /** A throwaway transport ({@link TransportWarmUp}): its lines go to debug, so a node's log never shows it. */
    private final boolean quiet;
    private final IdentityRefusals identityRefusals;
    private final InboundBudget inbound;
    private final Object lock = new Object();

    private volatile Map<String, PeerChannel> peers = Map.of();
    private volatile Set<String> members;
    private volatile boolean running;
    private final Map<String, ExtensionHandler> extensions = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SnapshotSink snapshotSink;
    private volatile java.util.function.Consumer<String> unreachableListener = peer -> { };
    private volatile java.util.function.Consumer<String> downListener = peer -> { };
    /** Asks whether a peer whose stream broke still listens ({@link #onPeerDown}). */
    private final ListenerProbe probe;
    private boolean started;
    private boolean closed;
    private Server server;
    private ExecutorService serverExecutor;

    /**
     * Creates the transport; nothing is bound or connected until {@link #start} / {@link #send}.
     *
     * @throws IllegalArgumentException if the TLS files cannot be loaded
     */
    public GrpcTransport(TransportConfig config) {
        this(config, false);
    }

    GrpcTransport(TransportConfig config, boolean quiet) {
        this.config = Objects.requireNonNull(config, "config");
        this.quiet = quiet;
        this.logLimiter = quiet ? LogLimiter.SILENT : new LogLimiter(5_000);
        this.members = Set.of(config.nodeId());
        this.identityRefusals = new IdentityRefusals(config.nodeId(), metrics);
        this.inbound = new InboundBudget(config.nodeId(), config.maxInboundBytes());
        // a refusal comes back within a round trip: waiting longer only waits for an answer that says nothing
        this.probe = new ListenerProbe(config.nodeId(), 1_000);
        PeerTlsCredentials tls = PeerTlsCredentials.of(config.tls());
        channelCredentials = tls.channel();
        serverCredentials = tls.server();
    }

    public TransportConfig config() {
        return config;
    }

    @Override
    public void processInboundOn(java.util.concurrent.Executor loop) {
        inbound.processOn(Objects.requireNonNull(loop, "loop"));
    }

    @Override
    public void acceptSnapshots(SnapshotSink sink) {
        this.snapshotSink = sink;
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("transport of node " + config.nodeId() + " is closed");
            }
            if (started) {
                throw new IllegalStateException("transport of node " + config.nodeId() + " is already started");
            }
            InetSocketAddress bind = new InetSocketAddress(config.bindHost(), config.port());
            NettyServerBuilder builder = serverCredentials == null
                    ? NettyServerBuilder.forAddress(bind)
                    : NettyServerBuilder.forAddress(bind, serverCredentials);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "raftx-transport-" + config.nodeId() + "-in-"
                        + SERVER_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            PeerService service = new PeerService(config.nodeId(), () -> members, handler, forwardHandler,
                    snapshotSink, metrics, logLimiter, extensions, identityRefusals, inbound);
            ClusterAuthInterceptor auth = new ClusterAuthInterceptor(config.nodeId(), config.clusterId(),
                    config.clusterToken(), metrics, logLimiter, identityRefusals);
            Server s = builder
                    // Peer handlers only decode a message and queue it for the node's loop: they run on the network
                    // thread, saving a thread hand-off per message. Snapshot chunks are written to disk: those calls
                    // get the pool.
                    .directExecutor()
                    .callExecutor(new io.grpc.ServerCallExecutorSupplier() {
                        @Override
                        public <Q, R> java.util.concurrent.Executor getExecutor(io.grpc.ServerCall<Q, R> call,
                                                                                io.grpc.Metadata headers) {
                            return call.getMethodDescriptor().getFullMethodName()
                                    .equals(RaftPeerGrpc.getInstallSnapshotMethod().getFullMethodName()) ? executor : null;
                        }
                    })
                    .addService(ServerInterceptors.intercept(service, auth))
                    .addTransportFilter(PeerConnection.FILTER)
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .maxInboundMetadataSize(16 * 1024)
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .handshakeTimeout(10, TimeUnit.SECONDS)
                    .maxConcurrentCallsPerConnection(1024)
                    .build();
            try {
                s.start();
            } catch (IOException e) {
                executor.shutdownNow();
                throw new UncheckedIOException("node " + config.nodeId() + " cannot listen on " + config.bindHost()
                        + ":" + config.port() + ": " + e.getMessage(), e);
            }
            server = s;
            serverExecutor = executor;
            started = true;
            running = true;
            info("node {}: transport listening on {}:{} ({})", config.nodeId(), config.bindHost(), s.getPort(),
                    serverCredentials == null ? "plaintext" : "mutual TLS");
            probe.warmUp(new PeerAddress(config.bindHost(), s.getPort()));
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("transport of node " + config.nodeId() + " is not started");
            }
            return server.getPort();
        }
    }

    @Override
    public void send(Message message) {
        if (message == null) {
            return;
        }
        if (!running) {
            metrics.dropped(DropReason.NOT_RUNNING);
            log.debug("node {}: dropped {}: transport not running", config.nodeId(), message);
            return;
        }
        if (!message.from().equals(config.nodeId())) {
            dropHere(DropReason.INVALID, message, "message is from '" + message.from() + "' but this transport is node '"
                    + config.nodeId() + "'");
            return;
        }
        if (message.type() == io.raftx.raft.MessageType.SNAPSHOT) {
            dropHere(DropReason.INVALID, message, "a SNAPSHOT message travels with its data: use sendSnapshot");
            return;
        }
        PeerChannel peer = peers.get(message.to());
        if (peer == null) {
            dropHere(DropReason.UNKNOWN_PEER, message, message.to().equals(config.nodeId())
                    ? "addressed to this node itself" : "'" + message.to() + "' is not a known peer");
            return;
        }
        peer.enqueue(message);
    }

    @Override
    public void onPeerUnreachable(java.util.function.Consumer<String> listener) {
        unreachableListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void onPeerDown(java.util.function.Consumer<String> listener) {
        downListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void probe(String peer) {
        PeerChannel channel = peers.get(peer);
        if (channel != null) {
            probe(peer, channel.address);
        }
    }

    /** A peer's stream broke (refused or reset): tell the node, then ask whether anything still listens there. */
    private void lostConnection(String peer, PeerAddress address) {
        unreachableListener.accept(peer);
        probe(peer, address);
    }

    private void probe(String peer, PeerAddress address) {
        probe.probe(peer, address, () -> downListener.accept(peer));
    }

    @Override
    public void onExtension(String channel, ExtensionHandler handler) {
        extensions.put(channel, handler);
    }

    @Override
    public void sendExtension(String to, String channel, byte[] payload) {
        PeerChannel peer = running ? peers.get(to) : null;
        if (peer == null) {
            metrics.dropped(running ? DropReason.UNKNOWN_PEER : DropReason.NOT_RUNNING);
            return;
        }
        peer.sendExtension(channel, payload);
    }

    @Override
    public java.util.concurrent.CompletableFuture<ForwardResult> forward(String to, byte[] command,
                                                                        java.time.Duration timeout) {
        PeerChannel peer = running ? peers.get(to) : null;
        if (peer == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot forward to '" + to + "': " + (running ? "not a known peer" : "transport not running")));
        }
        return peer.calls.forward(command, timeout);
    }

    @Override
    public java.util.concurrent.CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        PeerChannel peer = running ? peers.get(snapshot.to()) : null;
        if (peer == null) {
            try {
                snapshot.close();
            } catch (IOException ignored) {
                // read-only
            }
            return java.util.concurrent.CompletableFuture.failedFuture(new SnapshotTransferException(
                    "cannot send a snapshot to '" + snapshot.to() + "': " + (running ? "not a known peer"
                    : "transport not running"), 0, null));
        }
        return peer.calls.sendSnapshot(snapshot);
    }

    @Override
    public java.util.concurrent.CompletableFuture<java.util.List<ForwardResult>> forwardBatch(
            String to, java.util.List<byte[]> commands, java.time.Duration timeout) {
        PeerChannel peer = running ? peers.get(to) : null;
        if (peer == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot forward to '" + to + "': " + (running ? "not a known peer" : "transport not running")));
        }
        return peer.calls.forwardBatch(commands, timeout);
    }

    @Override
    public void updatePeers(Map<String, String> idToAddress) {
        Objects.requireNonNull(idToAddress, "idToAddress");
        Map<String, PeerAddress> parsed = new LinkedHashMap<>();
        idToAddress.forEach((id, address) -> {
            if (id == null || id.isEmpty() || id.length() > MessageCodec.MAX_NODE_ID_LENGTH) {
                throw new IllegalArgumentException("invalid peer id '" + id + "'");
            }
            PeerAddress a = PeerAddress.parse(id, address);
            if (!id.equals(config.nodeId())) {
                parsed.put(id, a);
            }
        });
        synchronized (lock) {
            if (closed) {
                return;
            }
            Map<String, PeerChannel> next = new HashMap<>();
            for (Map.Entry<String, PeerAddress> e : parsed.entrySet()) {
                PeerChannel existing = peers.get(e.getKey());
                if (existing != null && existing.address.equals(e.getValue())) {
                    next.put(e.getKey(), existing);
                } else {
                    String peer = e.getKey();
                    PeerAddress address = e.getValue();
                    next.put(peer, new PeerChannel(config.nodeId(), peer, address, config,
                            channelCredentials, metrics, logLimiter, () -> lostConnection(peer, address)));
                }
            }
            Set<String> nextMembers = new HashSet<>(next.keySet());
            nextMembers.add(config.nodeId());
            Map<String, PeerChannel> previous = peers;
            members = Set.copyOf(nextMembers);
            peers = Map.copyOf(next);
            for (PeerChannel old : previous.values()) {
                if (next.get(old.peerId) != old) {
                    old.close(DropReason.SEND_FAILED);
                    Thread reaper = new Thread(() -> {
                        try {
                            old.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "raftx-transport-" + config.nodeId() + "-release-" + old.peerId);
                    reaper.setDaemon(true);
                    reaper.start();
                }
            }
            info("node {}: peers {}", config.nodeId(), parsed);
        }
    }

    /** Counters since creation. */
    public TransportStats stats() {
        return metrics.snapshot(inbound);
    }

    /** Number of replication messages waiting for {@code peerId} (0 if unknown). */
    public int queued(String peerId) {
        PeerChannel p = peers.get(peerId);
        return p == null ? 0 : p.queued();
    }

    /** Estimated bytes of the replication messages waiting for {@code peerId} (0 if unknown). */
    public long queuedBytes(String peerId) {
        PeerChannel p = peers.get(peerId);
        return p == null ? 0 : p.queuedBytes();
    }

    @Override
    public void close() {
        Server s;
        ExecutorService executor;
        Map<String, PeerChannel> channels;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            s = server;
            executor = serverExecutor;
            channels = peers;
            peers = Map.of();
        }
        probe.close();
        for (PeerChannel p : channels.values()) {
            p.close(DropReason.NOT_RUNNING);
        }
        if (s != null) {
            s.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (PeerChannel p : channels.values()) {
                p.awaitTermination(deadline);
            }
            if (s != null) {
                s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        info("node {}: transport closed", config.nodeId());
    }

    private void info(String format, Object... args) {
        if (quiet) {
            log.debug(format, args);
        } else {
            log.info(format, args);
        }
    }

    private void dropHere(DropReason reason, Message m, String why) {
        metrics.dropped(reason);
        long suppressed = logLimiter.tryAcquire("send:" + config.nodeId() + ":" + reason + ":" + m.to());
        if (suppressed >= 0) {
            log.warn("node {}: dropped {}: {} ({}){}", config.nodeId(), m, reason, why,
                    suppressed > 0 ? "; " + suppressed + " similar drops not logged" : "");
        }
    }
}
