package io.raftx.transport;

import io.grpc.ChannelCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.raftx.raft.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

/**
 * {@link Transport} over gRPC (Netty, HTTP/2).
 *
 * <pre>{@code
 * TransportConfig cfg = TransportConfig.builder("n1", secretToken).bind("0.0.0.0", 7001).build();
 * GrpcTransport transport = new GrpcTransport(cfg);
 * transport.updatePeers(Map.of("n1", "10.0.0.1:7001", "n2", "10.0.0.2:7001", "n3", "10.0.0.3:7001"));
 * transport.start(eventLoop::enqueueIncoming);   // handler must not block
 * transport.send(message);                        // from the event loop; never blocks
 * }</pre>
 *
 * <p>Per peer there is one {@link PeerChannel}: a bounded queue drained into a long-lived {@code Replicate} stream
 * (APPEND, HEARTBEAT and their responses) with gRPC flow control, unary {@code Vote} calls with a deadline for
 * (pre-)votes and their responses, and one {@code InstallSnapshot} call per snapshot transfer (chunked, resumable). Every inbound call must carry the cluster token; every inbound message must come
 * from a member and be addressed to this node.
 */
public final class GrpcTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);
    private static final AtomicInteger SERVER_THREADS = new AtomicInteger();

    private final TransportConfig config;
    private final ChannelCredentials channelCredentials;
    private final ServerCredentials serverCredentials;
    private final TransportMetrics metrics = new TransportMetrics();
    private final LogLimiter logLimiter = new LogLimiter(5_000);
    private final Object lock = new Object();

    private volatile Map<String, PeerChannel> peers = Map.of();
    private volatile Set<String> members;
    private volatile boolean running;
    /** Peers cut off by {@link #blockPeers} (fault injection); empty in production. */
    private volatile Set<String> blocked = Set.of();
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
        this.config = Objects.requireNonNull(config, "config");
        this.members = Set.of(config.nodeId());
        TransportTlsConfig tls = config.tls();
        if (tls == null) {
            channelCredentials = null;
            serverCredentials = null;
        } else if (tls.keyManager() != null) {
            channelCredentials = TlsChannelCredentials.newBuilder().keyManager(tls.keyManager())
                    .trustManager(tls.trustManager()).build();
            serverCredentials = TlsServerCredentials.newBuilder().keyManager(tls.keyManager())
                    .trustManager(tls.trustManager()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
        } else {
            try {
                // gRPC parses the PEM files only when a connection is made; parse them now to fail fast.
                SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile())
                        .trustManager(tls.trustCerts().toFile())
                        .build();
                channelCredentials = TlsChannelCredentials.newBuilder()
                        .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
                        .trustManager(tls.trustCerts().toFile())
                        .build();
                serverCredentials = TlsServerCredentials.newBuilder()
                        .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
                        .trustManager(tls.trustCerts().toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                        .build();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot load TLS material (certChain " + tls.certChain()
                        + ", privateKey " + tls.privateKey() + ", trustCerts " + tls.trustCerts() + "): " + e, e);
            }
        }
    }

    public TransportConfig config() {
        return config;
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        start(handler, forwardHandler, null);
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler, SnapshotSink snapshotSink) {
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
            PeerService service = new PeerService(config.nodeId(), () -> members, unlessBlocked(handler),
                    unlessBlocked(forwardHandler), unlessBlocked(snapshotSink), metrics, logLimiter, extensions);
            ClusterAuthInterceptor auth = new ClusterAuthInterceptor(config.nodeId(), config.clusterId(),
                    config.clusterToken(), metrics, logLimiter);
            Server s = builder
                    .executor(executor)
                    .addService(ServerInterceptors.intercept(service, auth))
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
            log.info("node {}: transport listening on {}:{} ({})", config.nodeId(), config.bindHost(), s.getPort(),
                    serverCredentials == null ? "plaintext" : "mutual TLS");
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
        if (blocked.contains(message.to())) {
            metrics.dropped(DropReason.BLOCKED);
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

    private final Map<String, ExtensionHandler> extensions = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onExtension(String channel, ExtensionHandler handler) {
        extensions.put(channel, unlessBlocked(handler));
    }

    @Override
    public void sendExtension(String to, String channel, byte[] payload) {
        if (blocked.contains(to)) {
            metrics.dropped(DropReason.BLOCKED);
            return;
        }
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
        if (blocked.contains(to)) {
            return blockedForward(to);
        }
        PeerChannel peer = running ? peers.get(to) : null;
        if (peer == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot forward to '" + to + "': " + (running ? "not a known peer" : "transport not running")));
        }
        return peer.forward(command, timeout);
    }

    @Override
    public java.util.concurrent.CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        boolean isBlocked = blocked.contains(snapshot.to());
        PeerChannel peer = running && !isBlocked ? peers.get(snapshot.to()) : null;
        if (peer == null) {
            if (isBlocked) {
                metrics.dropped(DropReason.BLOCKED);
            }
            try {
                snapshot.file().close();
            } catch (IOException ignored) {
                // read-only
            }
            return java.util.concurrent.CompletableFuture.failedFuture(new SnapshotTransferException(
                    "cannot send a snapshot to '" + snapshot.to() + "': " + (isBlocked ? "blocked by fault injection"
                    : running ? "not a known peer" : "transport not running"), 0, null));
        }
        return peer.sendSnapshot(snapshot);
    }

    @Override
    public java.util.concurrent.CompletableFuture<java.util.List<ForwardResult>> forwardBatch(
            String to, java.util.List<byte[]> commands, java.time.Duration timeout) {
        if (blocked.contains(to)) {
            return blockedForward(to);
        }
        PeerChannel peer = running ? peers.get(to) : null;
        if (peer == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot forward to '" + to + "': " + (running ? "not a known peer" : "transport not running")));
        }
        return peer.forwardBatch(commands, timeout);
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
                    next.put(e.getKey(), new PeerChannel(config.nodeId(), e.getKey(), e.getValue(), config,
                            channelCredentials, metrics, logLimiter));
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
            log.info("node {}: peers {}", config.nodeId(), parsed);
        }
    }

    /**
     * Fault injection for tests: cuts this node off from {@code peerIds} as a network partition would, until called
     * again (an empty set heals). Raft and extension messages to and from those peers are dropped; forwarding a
     * request to them fails at once, and requests they forward here are refused, both as if the peer were
     * unreachable. Every such drop is counted as {@link DropReason#BLOCKED}. Connections stay open, so healing takes
     * effect immediately. Blocking on one side of a link is enough to cut it in both directions.
     */
    public void blockPeers(Set<String> peerIds) {
        blocked = Set.copyOf(peerIds);
        log.warn("node {}: fault injection: {}", config.nodeId(),
                blocked.isEmpty() ? "all peers unblocked" : "blocking traffic to and from " + blocked);
    }

    private <T> java.util.concurrent.CompletableFuture<T> blockedForward(String to) {
        metrics.dropped(DropReason.BLOCKED);
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                "cannot forward to '" + to + "': blocked by fault injection"));
    }

    private MessageHandler unlessBlocked(MessageHandler handler) {
        return m -> {
            if (blocked.contains(m.from())) {
                metrics.dropped(DropReason.BLOCKED);
            } else {
                handler.onMessage(m);
            }
        };
    }

    private ExtensionHandler unlessBlocked(ExtensionHandler handler) {
        return (channel, from, payload) -> {
            if (blocked.contains(from)) {
                metrics.dropped(DropReason.BLOCKED);
            } else {
                handler.onExtension(channel, from, payload);
            }
        };
    }

    /** Offers from a blocked peer are refused, and a transfer under way breaks off once its sender is blocked. */
    private SnapshotSink unlessBlocked(SnapshotSink sink) {
        return sink == null ? null
                : new BlockingSnapshotSink(sink, () -> blocked, () -> metrics.dropped(DropReason.BLOCKED));
    }

    private ForwardHandler unlessBlocked(ForwardHandler handler) {
        if (handler == null) {
            return null;
        }
        return (from, command) -> {
            if (!blocked.contains(from)) {
                return handler.onForward(from, command);
            }
            metrics.dropped(DropReason.BLOCKED);
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "request forwarded by '" + from + "' refused: blocked by fault injection"));
        };
    }

    /** Counters since creation. */
    public TransportStats stats() {
        return metrics.snapshot();
    }

    /** Number of replication messages waiting for {@code peerId} (0 if unknown). */
    public int queued(String peerId) {
        PeerChannel p = peers.get(peerId);
        return p == null ? 0 : p.queued();
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
        log.info("node {}: transport closed", config.nodeId());
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
