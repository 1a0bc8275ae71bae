package io.raftx.transport;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import com.google.protobuf.UnsafeByteOperations;
import io.raftx.raft.Message;
import io.raftx.transport.proto.ExtensionMessage;
import io.raftx.transport.proto.PeerBatch;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.ReplicateSummary;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import io.raftx.transport.OutboundQueue.Outbound;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-lived {@code Replicate} stream to one peer (APPEND, HEARTBEAT and their responses, and extension messages
 * such as the volatile keyspace's): a bounded queue drained into the stream under gRPC flow control, everything
 * queued at a drain written as one {@code PeerBatch}, re-opened with capped exponential backoff when it breaks.
 *
 * <p>Threading: {@link #offer} is called from any thread and never blocks; everything else runs on the peer thread
 * (the channel's callback executor), so the stream state needs no locks.
 */
final class ReplicationStream {

    private static final Logger log = LoggerFactory.getLogger(PeerChannel.class);
    /** Envelopes per batch, and batches per drain pass before yielding the peer thread to other work. */
    private static final int DRAIN_BATCH = 256;
    /** What a PeerBatch adds per envelope: the field's tag byte and up to 5 bytes of length. */
    static final int BATCH_FRAMING_BYTES = 6;

    private final String nodeId;
    private final String peerId;
    private final PeerAddress address;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;
    private final PeerDrops drops;
    private final ScheduledExecutorService executor;
    private final ManagedChannel channel;
    private final RaftPeerGrpc.RaftPeerStub stub;
    /** Whether a stream opened now would be admitted ({@link PeerProver#ready}); it waits until then. */
    private final java.util.function.BooleanSupplier mayOpen;
    private final OutboundQueue queue;
    /** Told when the connection was refused or reset: the peer may be dead (see PeerReachability). */
    private final Runnable onUnreachable;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;

    // Confined to the peer thread.
    private Call call;
    /** Encoded but did not fit the previous batch: opens the next one. */
    private PeerEnvelope carried;
    private boolean reconnectScheduled;
    /** The last stream was refused because it raced its connection's challenge (see {@link PeerProver}). */
    private boolean refusedUnproven;
    private boolean waitScheduled;
    private long waitNanos;
    private long backoffNanos;
    private Status lastFailure;
    /** Whether a stream to this peer ever opened: until then a failure means the peer is not up yet. */
    private boolean everOpened;
    private boolean reportedNotUp;

    ReplicationStream(String nodeId, String peerId, PeerAddress address, TransportConfig config,
                      TransportMetrics metrics, LogLimiter logLimiter, PeerDrops drops,
                      ScheduledExecutorService executor, ManagedChannel channel, RaftPeerGrpc.RaftPeerStub stub,
                      java.util.function.BooleanSupplier mayOpen, Runnable onUnreachable) {
        this.onUnreachable = onUnreachable;
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.address = address;
        this.config = config;
        this.metrics = metrics;
        this.logLimiter = logLimiter;
        this.drops = drops;
        this.executor = executor;
        this.channel = channel;
        this.stub = stub;
        this.mayOpen = mayOpen;
        this.queue = new OutboundQueue(config.maxQueuedMessages(), config.maxQueuedBytes());
    }

    /** Queues a message for the stream; never blocks. */
    void offer(Message m) {
        DropReason refused = enqueue(Outbound.raft(m));
        if (refused == DropReason.QUEUE_FULL) {
            drops.drop(refused, m, "queue of " + config.maxQueuedMessages() + " messages is full");
        } else if (refused != null) {
            drops.drop(refused, m, "queued messages would hold more than " + config.maxQueuedBytes() + " bytes");
        }
    }

    /** Queues an extension protocol's message, in order with the Raft messages; never blocks. */
    void offerExtension(String channel, byte[] payload) {
        DropReason refused = enqueue(Outbound.extension(channel, payload));
        if (refused != null) {
            metrics.dropped(refused);
        }
    }

    private DropReason enqueue(Outbound o) {
        DropReason refused = queue.offer(o);
        if (refused == null) {
            scheduleDrain();
        }
        return refused;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true) && !execute(this::drain)) {
            drainScheduled.set(false);
        }
    }

    int queued() {
        return queue.size();
    }

    long queuedBytes() {
        return queue.bytes();
    }

    /** Cancels the stream; returns how many queued messages were discarded. */
    int close() {
        closed = true;
        execute(() -> {
            if (call != null && call.requests != null) {
                call.requests.cancel("transport closed", null);
            }
            call = null;
            carried = null;
        });
        return queue.clear();
    }

    private boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            return;
        }
        if (call == null) {
            if (!reconnectScheduled && (!queue.isEmpty() || carried != null)) {
                open();
            }
            return;
        }
        ClientCallStreamObserver<PeerBatch> requests = call.requests;
        int batches = 0;
        while (requests.isReady()) {
            if (batches == DRAIN_BATCH) {
                if (drainScheduled.compareAndSet(false, true)) {
                    execute(this::drain);
                }
                return;
            }
            PeerBatch batch = nextBatch();
            if (batch == null) {
                return;
            }
            try {
                requests.onNext(batch);
            } catch (RuntimeException e) {
                failed(call, Status.fromThrowable(e));
                return;
            }
            metrics.sent.add(batch.getEnvelopesCount());
            batches++;
        }
        // Not ready: the onReady handler calls drain() again once the transport has room.
    }

    /**
     * Up to {@link #DRAIN_BATCH} queued envelopes, no more than maxMessageBytes in all with their framing (a single
     * envelope always fits: {@link PeerDrops#encode} refused larger ones); null if nothing is queued.
     */
    private PeerBatch nextBatch() {
        PeerBatch.Builder batch = PeerBatch.newBuilder();
        long bytes = 0;
        while (batch.getEnvelopesCount() < DRAIN_BATCH) {
            PeerEnvelope e = carried != null ? carried : encode(queue.poll());
            carried = null;
            if (e == null) {
                if (queue.isEmpty()) {
                    break;
                }
                continue; // dropped (invalid or oversized): counted by PeerDrops
            }
            long size = e.getSerializedSize() + (long) BATCH_FRAMING_BYTES;
            if (batch.getEnvelopesCount() > 0 && bytes + size > config.maxMessageBytes()) {
                carried = e;
                break;
            }
            batch.addEnvelopes(e);
            bytes += size;
        }
        return batch.getEnvelopesCount() == 0 ? null : batch.build();
    }

    private PeerEnvelope encode(Outbound o) {
        if (o == null) {
            return null;
        }
        if (o.raft() != null) {
            return drops.encode(o.raft());
        }
        return PeerEnvelope.newBuilder().setExtension(ExtensionMessage.newBuilder().setChannel(o.channel())
                .setFrom(nodeId).setTo(peerId).setPayload(UnsafeByteOperations.unsafeWrap(o.payload()))).build();
    }

    /** The connection's challenge was answered (or failed): open the stream if it waits for that. */
    void wake() {
        scheduleDrain();
    }

    private void open() {
        boolean admitted = mayOpen.getAsBoolean();
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // gRPC's own reconnect backoff grows to minutes; ours is capped at reconnectBackoffMax.
            channel.resetConnectBackoff();
        }
        if (!admitted) {
            // wake() opens it; until then look again now and then, which also resets a failed connection's backoff.
            if (!waitScheduled) {
                waitScheduled = true;
                waitNanos = Math.min(config.reconnectBackoffMax().toNanos(),
                        Math.max(config.reconnectBackoffInitial().toNanos(), waitNanos * 2));
                try {
                    executor.schedule(() -> {
                        waitScheduled = false;
                        drain();
                    }, waitNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException ignored) {
                    // closing
                }
            }
            return;
        }
        waitNanos = 0;
        Call c = new Call();
        call = c;
        try {
            stub.replicate(c);
        } catch (RuntimeException e) {
            failed(c, Status.fromThrowable(e));
        }
    }

    private void failed(Call c, Status status) {
        if (call != c) {
            return;
        }
        call = null;
        if (closed) {
            return;
        }
        metrics.streamFailures.increment();
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED
                || status.getCode() == Status.Code.UNKNOWN) {
            // Reset or refused (a dead process), cancelled by a server shutting down, or UNKNOWN "channel closed" (the
            // connection closed under a write in progress, seen in kill trials): our own cancel never gets here. A
            // wrong report costs at most a pre-vote round (Raft.peerUnreachable).
            onUnreachable.run();
        }
        long lived = System.nanoTime() - c.openedNanos;
        long initial = config.reconnectBackoffInitial().toNanos();
        long max = config.reconnectBackoffMax().toNanos();
        if (backoffNanos == 0 || (c.ready && lived > max)) {
            // First failure, or the stream had been working for a while: start over.
            backoffNanos = initial;
        } else {
            backoffNanos = Math.min(max, backoffNanos * 2);
        }
        long delay = (long) (backoffNanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        logFailure(c, status, lived > max, delay);
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

    /**
     * A peer that was never reached is one INFO line (it is usually still starting); after that, a failure is
     * logged when something changed (new kind of error, or a working stream broke), rate-limited, and repeated
     * identical failures of a reconnect loop go to debug.
     */
    private void logFailure(Call c, Status status, boolean livedLong, long delayNanos) {
        boolean notable = lastFailure == null || lastFailure.getCode() != status.getCode() || (c.ready && livedLong);
        lastFailure = status;
        if (!everOpened) {
            if (!reportedNotUp) {
                reportedNotUp = true;
                log.info("node {}: peer {} ({}) is not reachable yet ({}); retrying in the background", nodeId, peerId,
                        address, status.getCode());
            }
            log.debug("node {}: replication stream to {} failed: {} {}", nodeId, peerId, status.getCode(),
                    status.getDescription());
            return;
        }
        long suppressed = notable
                ? logLimiter.tryAcquire("stream:" + nodeId + "->" + peerId + ":" + status.getCode()) : -1;
        if (suppressed >= 0) {
            log.warn("node {}: replication stream to {} ({}) failed: {} {}; reconnecting in {} ms{}", nodeId, peerId,
                    address, status.getCode(), status.getDescription(), TimeUnit.NANOSECONDS.toMillis(delayNanos),
                    suppressed > 0 ? " (" + suppressed + " similar failures not logged)" : "");
        } else {
            log.debug("node {}: replication stream to {} failed: {} {}", nodeId, peerId, status.getCode(),
                    status.getDescription());
        }
    }

    private void ready(Call c) {
        if (call != c) {
            return;
        }
        refusedUnproven = false;
        if (!c.ready) {
            c.ready = true;
            everOpened = true;
            log.debug("node {}: replication stream to {} ({}) open", nodeId, peerId, address);
        }
        drain();
    }

    private final class Call implements ClientResponseObserver<PeerBatch, ReplicateSummary> {
        final long openedNanos = System.nanoTime();
        ClientCallStreamObserver<PeerBatch> requests;
        boolean ready;

        @Override
        public void beforeStart(ClientCallStreamObserver<PeerBatch> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(() -> ready(this));
        }

        @Override
        public void onNext(ReplicateSummary summary) {
            log.debug("node {}: peer {} closed the replication stream after {} messages", nodeId, peerId,
                    summary.getReceived());
        }

        @Override
        public void onError(Throwable t) {
            if (call == this && !refusedUnproven && PeerProof.refusedUnproven(t)) {
                // Opened before the connection's challenge was answered; the refusal carried it and the prover has
                // answered it, so open again at once (once: a second such refusal takes the normal backoff).
                refusedUnproven = true;
                call = null;
                log.debug("node {}: replication stream to {} raced its connection's challenge; reopening", nodeId,
                        peerId);
                drain();
                return;
            }
            failed(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            failed(this, Status.UNAVAILABLE.withDescription("peer ended the replication stream"));
        }
    }
}
