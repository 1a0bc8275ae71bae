package io.raftx.transport;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.raftx.raft.Message;
import io.raftx.transport.proto.RaftPeerGrpc;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The outbound side towards one peer: one gRPC channel and one peer thread ({@link PeerEventLoop}: the channel's
 * network thread and callback executor), shared by the {@link ReplicationStream} and the unary {@link PeerCalls}.
 * {@link #enqueue} routes a Raft message to the one that carries its type.
 */
final class PeerChannel {

    final String peerId;
    final PeerAddress address;
    final PeerCalls calls;
    private final TransportMetrics metrics;
    private final PeerEventLoop peerThread;
    private final ManagedChannel channel;
    private final ReplicationStream stream;
    private final PeerDrops drops;
    private volatile boolean closed;

    PeerChannel(String nodeId, String peerId, PeerAddress address, TransportConfig config,
                ChannelCredentials tlsCredentials, TransportMetrics metrics, LogLimiter logLimiter,
                Runnable onUnreachable) {
        this.peerId = peerId;
        this.address = address;
        this.metrics = metrics;
        this.peerThread = new PeerEventLoop("raftx-transport-" + nodeId + "->" + peerId);
        ScheduledExecutorService executor = peerThread.executor();
        NettyChannelBuilder builder = tlsCredentials == null
                ? NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext()
                : NettyChannelBuilder.forAddress(address.host(), address.port(), tlsCredentials);
        Metadata headers = new Metadata();
        headers.put(ClusterAuthInterceptor.TOKEN_HEADER, config.clusterToken());
        headers.put(ClusterAuthInterceptor.CLUSTER_ID_HEADER, config.clusterId());
        headers.put(ClusterAuthInterceptor.NODE_ID_HEADER, nodeId.getBytes(StandardCharsets.UTF_8));
        // With TLS the certificate proves the node id; without, the connection answers the peer's challenge.
        PeerProver prover = tlsCredentials == null ? new PeerProver(nodeId, peerId,
                new PeerProof(config.clusterToken(), config.clusterId())) : null;
        if (prover != null) {
            builder.intercept(prover);
        }
        this.channel = peerThread.configure(builder)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                // Retries would buffer whole streams in memory; the stream is re-opened by us instead.
                .disableRetry()
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .maxInboundMessageSize(config.maxMessageBytes()) // forwarded requests' results
                .userAgent("raftx")
                .build();
        RaftPeerGrpc.RaftPeerStub stub = RaftPeerGrpc.newStub(channel);
        this.drops = new PeerDrops(nodeId, peerId, config, metrics, logLimiter, () -> closed);
        // A call may go out once the connection's challenge is answered, or at once when there is no connection
        // (it then fails with the reason, which is reported as before).
        java.util.function.BooleanSupplier mayCall = prover == null ? () -> true
                : () -> prover.ready() || channel.getState(false) == io.grpc.ConnectivityState.TRANSIENT_FAILURE;
        this.stream = new ReplicationStream(nodeId, peerId, address, config, metrics, logLimiter, drops, executor,
                channel, stub, mayCall, onUnreachable);
        this.calls = new PeerCalls(nodeId, peerId, config, metrics, drops, executor, channel, stub, mayCall);
        if (prover != null) {
            prover.onProven(stream::wake);
            executor.execute(() -> prover.watch(channel, stub));
        }
    }

    /** Hands a message to this peer; never blocks. Votes travel as unary calls, everything else on the stream. */
    void enqueue(Message m) {
        if (closed) {
            drops.drop(DropReason.NOT_RUNNING, m, "peer channel closed");
        } else if (m.type().isVoteRequest() || m.type().isVoteResponse()) {
            calls.vote(m);
        } else {
            stream.offer(m);
        }
    }

    /** Hands an extension protocol's message to this peer's stream; never blocks. */
    void sendExtension(String channelName, byte[] payload) {
        if (closed) {
            metrics.dropped(DropReason.NOT_RUNNING);
        } else {
            stream.offerExtension(channelName, payload);
        }
    }

    int queued() {
        return stream.queued();
    }

    long queuedBytes() {
        return stream.queuedBytes();
    }

    /** Stops everything; queued messages are discarded and counted as {@code reason}. */
    void close(DropReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        calls.close();
        int discarded = stream.close();
        channel.shutdownNow();
        if (discarded > 0) {
            metrics.dropped(reason, discarded);
        }
    }

    /** Waits for the channel and the peer thread to stop. */
    void awaitTermination(long deadlineNanos) throws InterruptedException {
        channel.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        peerThread.shutdown(deadlineNanos);
    }
}
