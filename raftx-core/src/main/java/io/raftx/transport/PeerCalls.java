package io.raftx.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Message;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotTransferException;
import io.raftx.transport.proto.ForwardBatchRequest;
import io.raftx.transport.proto.ForwardRequest;
import io.raftx.transport.proto.ForwardResponse;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.VoteAck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The unary calls to one peer, beside its replication stream: (pre-)votes and their responses, extension messages,
 * forwarded client requests, and snapshot uploads. Votes and extension messages share one bound on calls in flight;
 * beyond it they are dropped and counted, like a full queue.
 */
final class PeerCalls {

    private final String nodeId;
    private final String peerId;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final PeerDrops drops;
    private final ScheduledExecutorService executor;
    private final ManagedChannel channel;
    private final RaftPeerGrpc.RaftPeerStub stub;
    private final java.util.function.BooleanSupplier mayCall;
    private final AtomicInteger oneWayInFlight = new AtomicInteger();
    private volatile boolean closed;

    PeerCalls(String nodeId, String peerId, TransportConfig config, TransportMetrics metrics, PeerDrops drops,
              ScheduledExecutorService executor, ManagedChannel channel, RaftPeerGrpc.RaftPeerStub stub,
              java.util.function.BooleanSupplier mayCall) {
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.config = config;
        this.metrics = metrics;
        this.drops = drops;
        this.executor = executor;
        this.channel = channel;
        this.stub = stub;
        this.mayCall = mayCall;
    }

    void close() {
        closed = true;
    }

    // ---- votes (started on the peer thread) ----

    void vote(Message m) {
        if (!reserveOneWay()) {
            drops.drop(DropReason.QUEUE_FULL, m, config.maxQueuedMessages() + " vote calls already in flight");
            return;
        }
        if (!execute(() -> startVote(m))) {
            oneWayInFlight.decrementAndGet();
            drops.drop(DropReason.NOT_RUNNING, m, "peer channel closed");
        }
    }

    private void startVote(Message m) {
        PeerEnvelope envelope = closed ? null : drops.encode(m);
        if (envelope == null) {
            oneWayInFlight.decrementAndGet();
            return;
        }
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        try {
            // Not wait-for-ready: a vote to a peer that is down fails at once (UNAVAILABLE) instead of holding a
            // slot until its deadline; the election goes on with the peers that answer.
            callVote(m, envelope, true);
        } catch (RuntimeException e) {
            oneWayInFlight.decrementAndGet();
            drops.drop(DropReason.SEND_FAILED, m, "vote call could not start: " + e);
        }
    }

    /** {@code again}: repeat the call once if it raced its connection's challenge ({@link PeerProver}). */
    private void callVote(Message m, PeerEnvelope envelope, boolean again) {
        stub.withDeadlineAfter(config.voteTimeout().toNanos(), TimeUnit.NANOSECONDS).vote(envelope,
                oneWayAnswer(again ? () -> callVote(m, envelope, false) : null,
                        status -> drops.callFailed(m, status)));
    }

    private boolean reserveOneWay() {
        if (oneWayInFlight.incrementAndGet() > config.maxQueuedMessages()) {
            oneWayInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * The answer observer of a vote or extension call: releases its in-flight slot and counts the outcome.
     * {@code again}, if not null, repeats the call (keeping the slot) when it raced its connection's challenge.
     */
    private StreamObserver<VoteAck> oneWayAnswer(Runnable again, java.util.function.Consumer<Status> onFailure) {
        return new StreamObserver<>() {
            @Override
            public void onNext(VoteAck ack) {
            }

            @Override
            public void onError(Throwable t) {
                if (again != null && PeerProof.refusedUnproven(t)) {
                    again.run();
                    return;
                }
                oneWayInFlight.decrementAndGet();
                onFailure.accept(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                oneWayInFlight.decrementAndGet();
                metrics.sent.increment();
            }
        };
    }

    // ---- snapshots (any thread; the transfer runs on the peer thread) ----

    CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        // Leave room for the chunk's other fields within the receiver's message size limit.
        int chunk = Math.min(snapshot.chunkBytes(), config.maxMessageBytes() - 256);
        SnapshotUpload upload = new SnapshotUpload(peerId, snapshot, chunk, executor);
        if (closed || !execute(() -> whenAdmitted(() -> upload.start(stub), ADMISSION_WAITS))) {
            upload.result().cancel(false);
            try {
                snapshot.close();
            } catch (IOException ignored) {
                // read-only
            }
            return CompletableFuture.failedFuture(new SnapshotTransferException(
                    "cannot send a snapshot to '" + peerId + "': peer channel closed", 0, null));
        }
        return upload.result();
    }

    // ---- forwarding (any thread) ----

    CompletableFuture<ForwardResult> forward(byte[] command, Duration timeout) {
        ForwardRequest request = ForwardRequest.newBuilder()
                .setFrom(nodeId).setCommand(UnsafeByteOperations.unsafeWrap(command)).build();
        return againIfUnproven(() -> {
            CompletableFuture<ForwardResult> result = new CompletableFuture<>();
            stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).forward(request,
                    answerTo(result, this::fromProto, "forward"));
            return result;
        });
    }

    CompletableFuture<List<ForwardResult>> forwardBatch(List<byte[]> commands, Duration timeout) {
        ForwardBatchRequest.Builder request = ForwardBatchRequest.newBuilder().setFrom(nodeId);
        commands.forEach(c -> request.addCommands(UnsafeByteOperations.unsafeWrap(c)));
        ForwardBatchRequest built = request.build();
        return againIfUnproven(() -> {
            CompletableFuture<List<ForwardResult>> result = new CompletableFuture<>();
            stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).forwardBatch(built,
                    answerTo(result, r -> {
                        if (r.getResponsesCount() != commands.size()) {
                            throw new InvalidMessageException("forward batch answer from '" + peerId + "' has "
                                    + r.getResponsesCount() + " answers for " + commands.size() + " requests");
                        }
                        return r.getResponsesList().stream().map(this::fromProto).toList();
                    }, "forward batch"));
            return result;
        });
    }

    /**
     * Makes the call once more if the peer refused it for an unproven connection (the call raced a reconnect; the
     * refusal carried the new connection's challenge, which the {@link PeerProver} has answered). Such a call was
     * refused before the peer looked at it, so repeating it cannot apply anything twice.
     */
    private static <T> CompletableFuture<T> againIfUnproven(java.util.function.Supplier<CompletableFuture<T>> call) {
        return call.get().exceptionallyCompose(t -> PeerProof.refusedUnproven(t) ? call.get()
                : CompletableFuture.failedFuture(t));
    }

    /** Completes {@code result} with the converted answer of a unary call, or with its failure. */
    private <R, T> StreamObserver<R> answerTo(CompletableFuture<T> result, Function<R, T> convert, String call) {
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

    private ForwardResult fromProto(ForwardResponse r) {
        int status = r.getStatusValue();
        if (status < 1 || status > ForwardResult.Status.values().length) {
            throw new InvalidMessageException("forward answer from '" + peerId + "' has unknown status " + status);
        }
        return new ForwardResult(ForwardResult.Status.values()[status - 1], r.getIndex(), r.getResult().toByteArray(),
                r.getLeaderHint().isEmpty() ? null : r.getLeaderHint(), r.getError().isEmpty() ? null : r.getError());
    }

    /** Polls of {@link #whenAdmitted}, 20 ms apart: up to 5 s, then the call goes out and fails with the reason. */
    private static final int ADMISSION_WAITS = 250;

    /**
     * Runs {@code task} on the peer thread once a call would be admitted ({@link PeerProver#ready}), so a snapshot
     * upload does not start on a connection that has not answered its challenge yet.
     */
    private void whenAdmitted(Runnable task, int waitsLeft) {
        if (waitsLeft == 0 || closed || mayCall.getAsBoolean()) {
            task.run();
            return;
        }
        try {
            executor.schedule(() -> whenAdmitted(task, waitsLeft - 1), 20, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run(); // closing: the upload fails with the reason
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
}
