package io.raftx.transport;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Message;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.ReplicateSummary;
import io.raftx.transport.proto.VoteAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbound side towards one peer: a bounded queue, one long-lived replication stream (re-opened with exponential
 * backoff when it breaks) and unary vote calls.
 *
 * <p>Threading: {@link #enqueue} is called from any thread and never blocks. Everything else runs on this peer's
 * single thread, which is also the gRPC callback executor of its channel, so the stream state needs no locks.
 */
final class PeerChannel {

    private static final Logger log = LoggerFactory.getLogger(PeerChannel.class);
    /** Messages written per drain pass before yielding the peer thread to other work (votes, callbacks). */
    private static final int DRAIN_BATCH = 256;

    final String peerId;
    final PeerAddress address;
    private final String nodeId;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;
    private final ScheduledExecutorService executor;
    private final ManagedChannel channel;
    private final RaftPeerGrpc.RaftPeerStub stub;
    private final BlockingQueue<Message> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicInteger votesInFlight = new AtomicInteger();
    private volatile boolean closed;

    // Confined to the peer thread.
    private Stream stream;
    private boolean reconnectScheduled;
    private long backoffNanos;
    private Status lastFailure;

    PeerChannel(String nodeId, String peerId, PeerAddress address, TransportConfig config,
                ChannelCredentials tlsCredentials, TransportMetrics metrics, LogLimiter logLimiter) {
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.address = address;
        this.config = config;
        this.metrics = metrics;
        this.logLimiter = logLimiter;
        this.queue = new ArrayBlockingQueue<>(config.maxQueuedMessages());
        ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "raftx-transport-" + nodeId + "->" + peerId);
            t.setDaemon(true);
            return t;
        });
        exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // pending reconnects do not delay close
        exec.setRemoveOnCancelPolicy(true);
        this.executor = exec;
        NettyChannelBuilder builder = tlsCredentials == null
                ? NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext()
                : NettyChannelBuilder.forAddress(address.host(), address.port(), tlsCredentials);
        Metadata headers = new Metadata();
        headers.put(ClusterAuthInterceptor.TOKEN_HEADER, config.clusterToken());
        headers.put(ClusterAuthInterceptor.CLUSTER_ID_HEADER, config.clusterId());
        headers.put(ClusterAuthInterceptor.NODE_ID_HEADER, asciiSafe(nodeId));
        this.channel = builder
                .executor(executor)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                // Retries would buffer whole streams in memory; the stream is re-opened by us instead.
                .disableRetry()
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .maxInboundMessageSize(config.maxMessageBytes()) // forwarded requests' results
                .userAgent("raftx")
                .build();
        this.stub = RaftPeerGrpc.newStub(channel);
    }

    /** Hands a message to this peer; never blocks. */
    void enqueue(Message m) {
        if (closed) {
            drop(DropReason.NOT_RUNNING, m, "peer channel closed");
            return;
        }
        if (m.type().isVoteRequest() || m.type().isVoteResponse()) {
            if (votesInFlight.incrementAndGet() > config.maxQueuedMessages()) {
                votesInFlight.decrementAndGet();
                drop(DropReason.QUEUE_FULL, m, config.maxQueuedMessages() + " vote calls already in flight");
                return;
            }
            if (!execute(() -> startVote(m))) {
                votesInFlight.decrementAndGet();
                drop(DropReason.NOT_RUNNING, m, "peer channel closed");
            }
            return;
        }
        if (!queue.offer(m)) {
            drop(DropReason.QUEUE_FULL, m, "queue of " + config.maxQueuedMessages() + " messages is full");
            return;
        }
        if (drainScheduled.compareAndSet(false, true) && !execute(this::drain)) {
            drainScheduled.set(false);
        }
    }

    int queued() {
        return queue.size();
    }

    /** Stops everything; queued messages are discarded and counted as {@code reason}. */
    void close(DropReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        execute(() -> {
            if (stream != null && stream.requests != null) {
                stream.requests.cancel("transport closed", null);
            }
            stream = null;
        });
        channel.shutdownNow();
        int discarded = queue.size();
        queue.clear();
        if (discarded > 0) {
            metrics.dropped(reason, discarded);
        }
    }

    /** Waits for the channel and the peer thread to stop. */
    void awaitTermination(long deadlineNanos) throws InterruptedException {
        channel.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        executor.shutdown();
        if (!executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            executor.shutdownNow();
        }
    }

    private boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---- replication stream (peer thread) ----

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            return;
        }
        if (stream == null) {
            if (!reconnectScheduled && !queue.isEmpty()) {
                openStream();
            }
            return;
        }
        ClientCallStreamObserver<PeerEnvelope> requests = stream.requests;
        int written = 0;
        while (requests.isReady()) {
            if (written == DRAIN_BATCH) {
                if (drainScheduled.compareAndSet(false, true)) {
                    execute(this::drain);
                }
                return;
            }
            Message m = queue.poll();
            if (m == null) {
                return;
            }
            PeerEnvelope envelope = encode(m);
            if (envelope != null) {
                try {
                    requests.onNext(envelope);
                } catch (RuntimeException e) {
                    streamFailed(stream, Status.fromThrowable(e));
                    return;
                }
                metrics.sent.increment();
                written++;
            }
        }
        // Not ready: the onReady handler calls drain() again once the transport has room.
    }

    private void openStream() {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // gRPC's own reconnect backoff grows to minutes; ours is capped at reconnectBackoffMax.
            channel.resetConnectBackoff();
        }
        Stream s = new Stream();
        stream = s;
        try {
            stub.replicate(s);
        } catch (RuntimeException e) {
            streamFailed(s, Status.fromThrowable(e));
        }
    }

    private void streamFailed(Stream s, Status status) {
        if (stream != s) {
            return;
        }
        stream = null;
        if (closed) {
            return;
        }
        metrics.streamFailures.increment();
        long lived = System.nanoTime() - s.openedNanos;
        long initial = config.reconnectBackoffInitial().toNanos();
        long max = config.reconnectBackoffMax().toNanos();
        if (backoffNanos == 0 || (s.ready && lived > max)) {
            // First failure, or the stream had been working for a while: start over.
            backoffNanos = initial;
        } else {
            backoffNanos = Math.min(max, backoffNanos * 2);
        }
        long delay = (long) (backoffNanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        // Log a failure when something changed (new kind of error, or a working stream broke), rate-limited;
        // repeated identical failures of a reconnect loop go to debug.
        boolean notable = lastFailure == null || lastFailure.getCode() != status.getCode() || (s.ready && lived > max);
        lastFailure = status;
        long suppressed = notable
                ? logLimiter.tryAcquire("stream:" + nodeId + "->" + peerId + ":" + status.getCode()) : -1;
        if (suppressed >= 0) {
            log.warn("node {}: replication stream to {} ({}) failed: {} {}; reconnecting in {} ms{}", nodeId, peerId,
                    address, status.getCode(), status.getDescription(), TimeUnit.NANOSECONDS.toMillis(delay),
                    suppressed > 0 ? " (" + suppressed + " similar failures not logged)" : "");
        } else {
            log.debug("node {}: replication stream to {} failed: {} {}", nodeId, peerId, status.getCode(),
                    status.getDescription());
        }
        reconnectScheduled = true;
        try {
            executor.schedule(() -> {
                reconnectScheduled = false;
                drain();
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ignored) {
            // closing
        }
    }

    private void streamReady(Stream s) {
        if (stream != s) {
            return;
        }
        if (!s.ready) {
            s.ready = true;
            log.debug("node {}: replication stream to {} ({}) open", nodeId, peerId, address);
        }
        drain();
    }

    private final class Stream implements ClientResponseObserver<PeerEnvelope, ReplicateSummary> {
        final long openedNanos = System.nanoTime();
        ClientCallStreamObserver<PeerEnvelope> requests;
        boolean ready;

        @Override
        public void beforeStart(ClientCallStreamObserver<PeerEnvelope> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(() -> streamReady(this));
        }

        @Override
        public void onNext(ReplicateSummary summary) {
            log.debug("node {}: peer {} closed the replication stream after {} messages", nodeId, peerId,
                    summary.getReceived());
        }

        @Override
        public void onError(Throwable t) {
            streamFailed(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            streamFailed(this, Status.UNAVAILABLE.withDescription("peer ended the replication stream"));
        }
    }

    // ---- votes (peer thread) ----

    private void startVote(Message m) {
        PeerEnvelope envelope = closed ? null : encode(m);
        if (envelope == null) {
            votesInFlight.decrementAndGet();
            return;
        }
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        try {
            stub.withWaitForReady()
                    .withDeadlineAfter(config.voteTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    .vote(envelope, new StreamObserver<VoteAck>() {
                        @Override
                        public void onNext(VoteAck ack) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            votesInFlight.decrementAndGet();
                            Status status = Status.fromThrowable(t);
                            drop(DropReason.SEND_FAILED, m, "vote call failed: " + status.getCode() + " "
                                    + status.getDescription());
                        }

                        @Override
                        public void onCompleted() {
                            votesInFlight.decrementAndGet();
                            metrics.sent.increment();
                        }
                    });
        } catch (RuntimeException e) {
            votesInFlight.decrementAndGet();
            drop(DropReason.SEND_FAILED, m, "vote call could not start: " + e);
        }
    }

    // ---- snapshots (any thread; the transfer runs on the peer thread) ----

    java.util.concurrent.CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        // Leave room for the chunk's other fields within the receiver's message size limit.
        int chunk = Math.min(snapshot.chunkBytes(), config.maxMessageBytes() - 256);
        SnapshotUpload upload = new SnapshotUpload(peerId, snapshot, chunk, executor);
        if (closed || !execute(() -> upload.start(stub))) {
            upload.result().cancel(false);
            try {
                snapshot.file().close();
            } catch (java.io.IOException ignored) {
                // read-only
            }
            return java.util.concurrent.CompletableFuture.failedFuture(new SnapshotTransferException(
                    "cannot send a snapshot to '" + peerId + "': peer channel closed", 0, null));
        }
        return upload.result();
    }

    // ---- extension protocols (any thread) ----

    /** One unary call per message, like votes: bounded by the same in-flight limit, dropped (and counted) beyond. */
    void sendExtension(String channelName, byte[] payload) {
        if (closed || votesInFlight.incrementAndGet() > config.maxQueuedMessages()) {
            votesInFlight.decrementAndGet();
            metrics.dropped(closed ? DropReason.NOT_RUNNING : DropReason.QUEUE_FULL);
            return;
        }
        io.raftx.transport.proto.ExtensionMessage request = io.raftx.transport.proto.ExtensionMessage.newBuilder()
                .setChannel(channelName).setFrom(nodeId).setTo(peerId)
                .setPayload(com.google.protobuf.UnsafeByteOperations.unsafeWrap(payload)).build();
        try {
            stub.withDeadlineAfter(config.voteTimeout().toNanos(), TimeUnit.NANOSECONDS).extension(request,
                    new StreamObserver<VoteAck>() {
                        @Override
                        public void onNext(VoteAck ack) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            votesInFlight.decrementAndGet();
                            metrics.dropped(DropReason.SEND_FAILED);
                        }

                        @Override
                        public void onCompleted() {
                            votesInFlight.decrementAndGet();
                            metrics.sent.increment();
                        }
                    });
        } catch (RuntimeException e) {
            votesInFlight.decrementAndGet();
            metrics.dropped(DropReason.SEND_FAILED);
        }
    }

    // ---- forwarding (any thread) ----

    java.util.concurrent.CompletableFuture<ForwardResult> forward(byte[] command, java.time.Duration timeout) {
        java.util.concurrent.CompletableFuture<ForwardResult> result = new java.util.concurrent.CompletableFuture<>();
        io.raftx.transport.proto.ForwardRequest request = io.raftx.transport.proto.ForwardRequest.newBuilder()
                .setFrom(nodeId).setCommand(com.google.protobuf.UnsafeByteOperations.unsafeWrap(command)).build();
        stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).forward(request,
                answerTo(result, this::fromProto, "forward"));
        return result;
    }

    java.util.concurrent.CompletableFuture<java.util.List<ForwardResult>> forwardBatch(java.util.List<byte[]> commands,
                                                                                    java.time.Duration timeout) {
        java.util.concurrent.CompletableFuture<java.util.List<ForwardResult>> result =
                new java.util.concurrent.CompletableFuture<>();
        io.raftx.transport.proto.ForwardBatchRequest.Builder request =
                io.raftx.transport.proto.ForwardBatchRequest.newBuilder().setFrom(nodeId);
        commands.forEach(c -> request.addCommands(com.google.protobuf.UnsafeByteOperations.unsafeWrap(c)));
        stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).forwardBatch(request.build(),
                answerTo(result, r -> {
                    if (r.getResponsesCount() != commands.size()) {
                        throw new InvalidMessageException("forward batch answer from '" + peerId + "' has "
                                + r.getResponsesCount() + " answers for " + commands.size() + " requests");
                    }
                    return r.getResponsesList().stream().map(this::fromProto).toList();
                }, "forward batch"));
        return result;
    }

    /** Completes {@code result} with the converted answer of a unary call, or with its failure. */
    private <R, T> StreamObserver<R> answerTo(java.util.concurrent.CompletableFuture<T> result,
                                              java.util.function.Function<R, T> convert, String call) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R answer) {
                try {
                    result.complete(convert.apply(answer));
                } catch (InvalidMessageException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                if (!result.isDone()) {
                    result.completeExceptionally(new IllegalStateException(call + " to '" + peerId
                            + "' ended without an answer"));
                }
            }
        };
    }

    private ForwardResult fromProto(io.raftx.transport.proto.ForwardResponse r) {
        int status = r.getStatusValue();
        if (status < 1 || status > ForwardResult.Status.values().length) {
            throw new InvalidMessageException("forward answer from '" + peerId + "' has unknown status " + status);
        }
        return new ForwardResult(ForwardResult.Status.values()[status - 1], r.getIndex(), r.getResult().toByteArray(),
                r.getLeaderHint().isEmpty() ? null : r.getLeaderHint(), r.getError().isEmpty() ? null : r.getError());
    }

    // ---- helpers ----

    /** Validates and encodes; on failure counts the drop and returns null. */
    private PeerEnvelope encode(Message m) {
        PeerEnvelope envelope;
        try {
            envelope = MessageCodec.toEnvelope(m);
        } catch (InvalidMessageException e) {
            drop(DropReason.INVALID, m, e.getMessage());
            return null;
        }
        int size = envelope.getSerializedSize();
        if (size > config.maxMessageBytes()) {
            drop(DropReason.OVERSIZED, m, "encoded size " + size + " bytes exceeds maxMessageBytes "
                    + config.maxMessageBytes());
            return null;
        }
        return envelope;
    }

    private void drop(DropReason reason, Message m, String why) {
        metrics.dropped(reason);
        if (closed) {
            log.debug("node {}: dropped {} to {} while closing: {} ({})", nodeId, m, peerId, reason, why);
            return;
        }
        long suppressed = logLimiter.tryAcquire("drop:" + nodeId + "->" + peerId + ":" + reason);
        if (suppressed >= 0 && reason != DropReason.NOT_RUNNING) {
            log.warn("node {}: dropped {} to {}: {} ({}){}", nodeId, m, peerId, reason, why,
                    suppressed > 0 ? "; " + suppressed + " similar drops not logged" : "");
        } else if (log.isDebugEnabled()) {
            log.debug("node {}: dropped {} to {}: {} ({})", nodeId, m, peerId, reason, why);
        }
    }

    private static String asciiSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        return b.toString();
    }
}
