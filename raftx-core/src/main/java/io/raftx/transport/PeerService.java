package io.raftx.transport;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Message;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.transport.proto.ChallengeRequest;
import io.raftx.transport.proto.ChallengeResponse;
import io.raftx.transport.proto.ExtensionMessage;
import io.raftx.transport.proto.ForwardRequest;
import io.raftx.transport.proto.ForwardResponse;
import io.raftx.transport.proto.ForwardStatus;
import io.raftx.transport.proto.PeerBatch;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.ReplicateSummary;
import io.raftx.transport.proto.SnapshotAck;
import io.raftx.transport.proto.SnapshotChunk;
import io.raftx.transport.proto.VoteAck;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of the peer protocol: decodes, checks sender and recipient ({@link SenderCheck}: the sender must be the
 * node the call's connection proved, see {@link ClusterAuthInterceptor}), and hands accepted messages to the handler.
 * A rejected message ends its call with a descriptive status (the replication stream is then re-opened by the
 * sender); the server itself is unaffected. Accepted messages count against the {@link InboundBudget} until the
 * node's loop has processed them: over it, a replication stream stops reading (manual flow control) and a unary
 * call is refused.
 */
final class PeerService extends RaftPeerGrpc.RaftPeerImplBase {

    private static final Logger log = LoggerFactory.getLogger(PeerService.class);

    private final String nodeId;
    private final MessageHandler handler;
    private final ForwardHandler forwardHandler;
    private final SnapshotSink snapshotSink;
    private final java.util.Map<String, ExtensionHandler> extensions;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;
    private final SenderCheck senders;
    private final IdentityRefusals identityRefusals;
    private final InboundBudget budget;

    PeerService(String nodeId, Supplier<Set<String>> members, MessageHandler handler, ForwardHandler forwardHandler,
                SnapshotSink snapshotSink, TransportMetrics metrics, LogLimiter logLimiter,
                java.util.Map<String, ExtensionHandler> extensions, IdentityRefusals identityRefusals,
                InboundBudget budget) {
        this.extensions = extensions;
        this.nodeId = nodeId;
        this.senders = new SenderCheck(nodeId, members);
        this.identityRefusals = identityRefusals;
        this.handler = handler;
        this.forwardHandler = forwardHandler;
        this.snapshotSink = snapshotSink;
        this.metrics = metrics;
        this.logLimiter = logLimiter;
        this.budget = budget;
    }

    @Override
    public StreamObserver<PeerBatch> replicate(StreamObserver<ReplicateSummary> responseObserver) {
        String remote = remote();
        String peer = peer();
        ServerCallStreamObserver<ReplicateSummary> call = (ServerCallStreamObserver<ReplicateSummary>) responseObserver;
        call.disableAutoRequest(); // the next batch is read only while the loop's backlog is within the budget
        Runnable readNext = () -> {
            try {
                call.request(1);
            } catch (RuntimeException ended) {
                // the call ended while parked: nothing to read
            }
        };
        call.request(1);
        return new StreamObserver<>() {
            private boolean done;
            private long accepted;

            @Override
            public void onNext(PeerBatch batch) {
                if (done) {
                    return;
                }
                deliverAll(batch);
                budget.handedOver(batch.getSerializedSize());
                if (!done && budget.readOrPark(readNext)) {
                    readNext.run();
                }
            }

            private void deliverAll(PeerBatch batch) {
                for (PeerEnvelope envelope : batch.getEnvelopesList()) {
                    if (done) {
                        return;
                    }
                    try {
                        if (envelope.hasExtension()) {
                            ExtensionMessage extension = envelope.getExtension();
                            requireSender("extension message", extension.getFrom(), extension.getTo(), peer);
                            deliverExtension(extension);
                        } else {
                            deliver(check(envelope, peer));
                        }
                    } catch (Rejection r) {
                        done = true;
                        reject(remote, peer, "Replicate", r.refusal);
                        responseObserver.onError(r.refusal.status().asRuntimeException());
                        return;
                    }
                    accepted++;
                }
            }

            @Override
            public void onError(Throwable t) {
                done = true;
                budget.forget(readNext);
                log.debug("node {}: replication stream from {} ({}) ended: {}", nodeId, peer, remote,
                        Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                budget.forget(readNext);
                if (!done) {
                    done = true;
                    responseObserver.onNext(ReplicateSummary.newBuilder().setReceived(accepted).build());
                    responseObserver.onCompleted();
                }
            }
        };
    }

    @Override
    public void vote(PeerEnvelope request, StreamObserver<VoteAck> responseObserver) {
        Message m;
        try {
            m = check(request, peer());
        } catch (Rejection r) {
            reject(remote(), peer(), "Vote", r.refusal);
            responseObserver.onError(r.refusal.status().asRuntimeException());
            return;
        }
        if (refusedOverBudget("vote message", "Vote", responseObserver)) {
            return;
        }
        deliver(m);
        budget.handedOver(request.getSerializedSize());
        responseObserver.onNext(VoteAck.getDefaultInstance());
        responseObserver.onCompleted();
    }

    @Override
    public void challenge(ChallengeRequest request, StreamObserver<ChallengeResponse> responseObserver) {
        PeerConnection connection = ClusterAuthInterceptor.CONNECTION.get();
        responseObserver.onNext(ChallengeResponse.newBuilder()
                .setNonce(com.google.protobuf.ByteString.copyFrom(connection.nonce())).build());
        responseObserver.onCompleted();
    }

    /** Hands an extension message to its channel's handler; one for a channel this node does not run is dropped. */
    private void deliverExtension(ExtensionMessage message) {
        ExtensionHandler handler = extensions.get(message.getChannel());
        if (handler == null) {
            metrics.dropped(DropReason.INVALID);
            long suppressed = logLimiter.tryAcquire("extension:" + message.getChannel());
            if (suppressed >= 0) {
                log.warn("node {}: dropped a message on channel '{}' from {}: this node has no handler for it{}", nodeId,
                        message.getChannel(), message.getFrom(), suppressed > 0 ? " (" + suppressed + " more)" : "");
            }
            return;
        }
        metrics.received.increment();
        try {
            handler.onExtension(message.getChannel(), message.getFrom(), message.getPayload().toByteArray());
        } catch (RuntimeException e) {
            log.error("node {}: extension handler for {} failed", nodeId, message.getChannel(), e);
        }
    }

    @Override
    public void forward(ForwardRequest request, StreamObserver<ForwardResponse> responseObserver) {
        String from = request.getFrom();
        SenderCheck.Refusal refusal = senders.check("forwarded request", from, nodeId, peer());
        if (refusal != null) {
            reject(remote(), peer(), "Forward", refusal);
            responseObserver.onError(refusal.status().asRuntimeException());
            return;
        }
        if (forwardHandler == null) {
            responseObserver.onError(Status.UNAVAILABLE.withDescription("node '" + nodeId
                    + "' does not serve forwarded requests").asRuntimeException());
            return;
        }
        if (refusedOverBudget("forwarded request", "Forward", responseObserver)) {
            return;
        }
        CompletableFuture<ForwardResult> served = forwardHandler.onForward(from, request.getCommand().toByteArray());
        budget.handedOver(request.getSerializedSize());
        served.whenComplete((result, err) -> {
            if (err != null) {
                responseObserver.onError(Status.INTERNAL.withDescription("forwarded request failed on node '"
                        + nodeId + "': " + err).asRuntimeException());
                return;
            }
            responseObserver.onNext(toProto(result));
            responseObserver.onCompleted();
        });
    }

    @Override
    public StreamObserver<SnapshotChunk> installSnapshot(StreamObserver<SnapshotAck> responseObserver) {
        if (snapshotSink == null) {
            responseObserver.onError(Status.UNIMPLEMENTED.withDescription("node '" + nodeId
                    + "' does not accept snapshots").asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(SnapshotChunk value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        String peer = peer();
        String remote = remote();
        return new SnapshotReceiveCall(nodeId, (from, to) -> {
            SenderCheck.Refusal refusal = senders.check("snapshot offer", from, to, peer);
            if (refusal != null) {
                reject(remote, peer, "InstallSnapshot", refusal);
            }
            return refusal == null ? null : refusal.status();
        }, snapshotSink, responseObserver, remote);
    }

    @Override
    public void forwardBatch(io.raftx.transport.proto.ForwardBatchRequest request,
                             StreamObserver<io.raftx.transport.proto.ForwardBatchResponse> responseObserver) {
        String from = request.getFrom();
        SenderCheck.Refusal refusal = forwardHandler == null ? new SenderCheck.Refusal(Status.UNAVAILABLE
                .withDescription("node '" + nodeId + "' does not serve forwarded requests"), false)
                : senders.check("forwarded request", from, nodeId, peer());
        if (refusal != null) {
            reject(remote(), peer(), "ForwardBatch", refusal);
            responseObserver.onError(refusal.status().asRuntimeException());
            return;
        }
        if (refusedOverBudget("batch of forwarded requests", "ForwardBatch", responseObserver)) {
            return;
        }
        java.util.List<java.util.concurrent.CompletableFuture<ForwardResult>> calls = new java.util.ArrayList<>();
        for (com.google.protobuf.ByteString command : request.getCommandsList()) {
            calls.add(forwardHandler.onForward(from, command.toByteArray())
                    .exceptionally(err -> ForwardResult.failed(ForwardResult.Status.UNKNOWN, null, String.valueOf(err))));
        }
        budget.handedOver(request.getSerializedSize());
        java.util.concurrent.CompletableFuture.allOf(calls.toArray(java.util.concurrent.CompletableFuture[]::new))
                .whenComplete((v, err) -> {
                    io.raftx.transport.proto.ForwardBatchResponse.Builder b =
                            io.raftx.transport.proto.ForwardBatchResponse.newBuilder();
                    calls.forEach(c -> b.addResponses(toProto(c.join())));
                    responseObserver.onNext(b.build());
                    responseObserver.onCompleted();
                });
    }

    private static ForwardResponse toProto(ForwardResult result) {
        ForwardResponse.Builder b = ForwardResponse.newBuilder()
                .setStatus(ForwardStatus.forNumber(result.status().ordinal() + 1))
                .setIndex(result.index())
                .setResult(com.google.protobuf.ByteString.copyFrom(result.result()));
        if (result.leaderHint() != null) {
            b.setLeaderHint(result.leaderHint());
        }
        if (result.error() != null) {
            b.setError(result.error());
        }
        return b.build();
    }

    /** Decodes a Raft message and applies the sender rules; SNAPSHOT messages only travel with their data. */
    private Message check(PeerEnvelope envelope, String peer) throws Rejection {
        Message m;
        try {
            m = MessageCodec.fromEnvelope(envelope);
        } catch (InvalidMessageException e) {
            throw new Rejection(new SenderCheck.Refusal(Status.INVALID_ARGUMENT.withDescription("invalid message: "
                    + e.getMessage()), false));
        }
        requireSender(m.type().toString(), m.from(), m.to(), peer);
        if (m.type() == io.raftx.raft.MessageType.SNAPSHOT) {
            throw new Rejection(new SenderCheck.Refusal(Status.INVALID_ARGUMENT.withDescription("SNAPSHOT messages"
                    + " travel with their data over InstallSnapshot, not alone"), false));
        }
        return m;
    }

    private void requireSender(String what, String from, String to, String peer) throws Rejection {
        SenderCheck.Refusal refusal = senders.check(what, from, to, peer);
        if (refusal != null) {
            throw new Rejection(refusal);
        }
    }

    private void deliver(Message m) {
        metrics.received.increment();
        try {
            handler.onMessage(m);
        } catch (RuntimeException e) {
            log.error("node {}: message handler failed on {}", nodeId, m, e);
        }
    }

    /** A unary call cannot be paused: over the budget it is refused before anything is handed over. */
    private boolean refusedOverBudget(String what, String method, StreamObserver<?> responseObserver) {
        Status refusal = budget.refusal(what);
        if (refusal == null) {
            return false;
        }
        long suppressed = logLimiter.tryAcquire("inbound-budget:" + method);
        if (suppressed >= 0) {
            log.warn("node {}: {}{}", nodeId, refusal.getDescription(),
                    suppressed > 0 ? " (" + suppressed + " similar not logged)" : "");
        }
        responseObserver.onError(refusal.asRuntimeException());
        return true;
    }

    private void reject(String remote, String peer, String method, SenderCheck.Refusal refusal) {
        Status status = refusal.status();
        metrics.inboundRejected.increment();
        if (refusal.identity()) {
            String host = ClusterAuthInterceptor.REMOTE_HOST.get();
            identityRefusals.refused(peer, host == null ? remote : host, method, status.getCode(),
                    status.getDescription());
            return;
        }
        long suppressed = logLimiter.tryAcquire("reject:" + status.getCode() + ":" + remote);
        if (suppressed >= 0) {
            log.warn("node {}: rejected {} from {}: {} {}{}", nodeId, method, remote, status.getCode(),
                    status.getDescription(), suppressed > 0 ? " (" + suppressed + " similar not logged)" : "");
        }
    }

    private static String remote() {
        String r = ClusterAuthInterceptor.REMOTE.get();
        return r == null ? "?" : r;
    }

    private static String peer() {
        return ClusterAuthInterceptor.PEER.get();
    }

    private static final class Rejection extends Exception {
        final transient SenderCheck.Refusal refusal;

        Rejection(SenderCheck.Refusal refusal) {
            super(refusal.status().getDescription(), null, false, false);
            this.refusal = refusal;
        }
    }
}
