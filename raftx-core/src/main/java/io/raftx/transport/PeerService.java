package io.raftx.transport;

import io.raftx.transport.proto.ForwardRequest;
import io.raftx.transport.proto.ForwardResponse;
import io.raftx.transport.proto.ForwardStatus;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Message;
import io.raftx.transport.proto.ExtensionMessage;
import io.raftx.transport.proto.PeerBatch;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.ReplicateSummary;
import io.raftx.transport.proto.SnapshotAck;
import io.raftx.transport.proto.SnapshotChunk;
import io.raftx.transport.proto.VoteAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Server side of the peer protocol: decodes, checks sender and recipient, and hands accepted messages to the handler.
 * A rejected message ends its call with a descriptive status (the replication stream is then re-opened by the
 * sender); the server itself is unaffected.
 */
final class PeerService extends RaftPeerGrpc.RaftPeerImplBase {

    private static final Logger log = LoggerFactory.getLogger(PeerService.class);

    private final String nodeId;
    private final Supplier<Set<String>> members;
    private final MessageHandler handler;
    private final ForwardHandler forwardHandler;
    private final SnapshotSink snapshotSink;
    private final java.util.Map<String, ExtensionHandler> extensions;
    private final TransportMetrics metrics;
    private final LogLimiter logLimiter;

    PeerService(String nodeId, Supplier<Set<String>> members, MessageHandler handler, ForwardHandler forwardHandler,
                SnapshotSink snapshotSink, TransportMetrics metrics, LogLimiter logLimiter,
                java.util.Map<String, ExtensionHandler> extensions) {
        this.extensions = extensions;
        this.nodeId = nodeId;
        this.members = members;
        this.handler = handler;
        this.forwardHandler = forwardHandler;
        this.snapshotSink = snapshotSink;
        this.metrics = metrics;
        this.logLimiter = logLimiter;
    }

    @Override
    public StreamObserver<PeerBatch> replicate(StreamObserver<ReplicateSummary> responseObserver) {
        String remote = remote();
        return new StreamObserver<>() {
            private boolean done;
            private String streamFrom;
            private long accepted;

            @Override
            public void onNext(PeerBatch batch) {
                for (PeerEnvelope envelope : batch.getEnvelopesList()) {
                    if (done) {
                        return;
                    }
                    try {
                        if (envelope.hasExtension()) {
                            streamFrom = checkExtension(envelope.getExtension(), streamFrom);
                            deliverExtension(envelope.getExtension());
                        } else {
                            Message m = check(envelope, streamFrom);
                            streamFrom = m.from();
                            deliver(m);
                        }
                    } catch (Rejection r) {
                        done = true;
                        reject(remote, "Replicate", r.status);
                        responseObserver.onError(r.status.asRuntimeException());
                        return;
                    }
                    accepted++;
                }
            }

            @Override
            public void onError(Throwable t) {
                done = true;
                log.debug("node {}: replication stream from {} ({}) ended: {}", nodeId, streamFrom, remote,
                        Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
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
            m = check(request, null);
        } catch (Rejection r) {
            reject(remote(), "Vote", r.status);
            responseObserver.onError(r.status.asRuntimeException());
            return;
        }
        deliver(m);
        responseObserver.onNext(VoteAck.getDefaultInstance());
        responseObserver.onCompleted();
    }

    /** An extension message's sender must be a member and the stream's sender; returns the sender. */
    private String checkExtension(ExtensionMessage message, String streamFrom) throws Rejection {
        String from = message.getFrom();
        if (from.equals(nodeId) || !members.get().contains(from) || !message.getTo().equals(nodeId)) {
            throw new Rejection(Status.PERMISSION_DENIED.withDescription("extension message from '" + from + "' to '"
                    + message.getTo() + "' refused by node '" + nodeId + "': sender must be a member, receiver this node"));
        }
        if (streamFrom != null && !streamFrom.equals(from)) {
            throw new Rejection(Status.INVALID_ARGUMENT.withDescription("stream opened by '" + streamFrom
                    + "' carried an extension message from '" + from + "'"));
        }
        return from;
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
        if (from.equals(nodeId) || !members.get().contains(from)) {
            Status status = Status.PERMISSION_DENIED.withDescription("sender '" + from
                    + "' is not a member of the cluster as known to node '" + nodeId + "'");
            reject(remote(), "Forward", status);
            responseObserver.onError(status.asRuntimeException());
            return;
        }
        if (forwardHandler == null) {
            responseObserver.onError(Status.UNAVAILABLE.withDescription("node '" + nodeId
                    + "' does not serve forwarded requests").asRuntimeException());
            return;
        }
        forwardHandler.onForward(from, request.getCommand().toByteArray()).whenComplete((result, err) -> {
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
        return new SnapshotReceiveCall(nodeId, members, snapshotSink, responseObserver, remote());
    }

    @Override
    public void forwardBatch(io.raftx.transport.proto.ForwardBatchRequest request,
                             StreamObserver<io.raftx.transport.proto.ForwardBatchResponse> responseObserver) {
        String from = request.getFrom();
        if (from.equals(nodeId) || !members.get().contains(from) || forwardHandler == null) {
            Status status = forwardHandler == null
                    ? Status.UNAVAILABLE.withDescription("node '" + nodeId + "' does not serve forwarded requests")
                    : Status.PERMISSION_DENIED.withDescription("sender '" + from
                    + "' is not a member of the cluster as known to node '" + nodeId + "'");
            reject(remote(), "ForwardBatch", status);
            responseObserver.onError(status.asRuntimeException());
            return;
        }
        java.util.List<java.util.concurrent.CompletableFuture<ForwardResult>> calls = new java.util.ArrayList<>();
        for (com.google.protobuf.ByteString command : request.getCommandsList()) {
            calls.add(forwardHandler.onForward(from, command.toByteArray())
                    .exceptionally(err -> ForwardResult.failed(ForwardResult.Status.UNKNOWN, null, String.valueOf(err))));
        }
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

    private Message check(PeerEnvelope envelope, String streamFrom) throws Rejection {
        Message m;
        try {
            m = MessageCodec.fromEnvelope(envelope);
        } catch (InvalidMessageException e) {
            throw new Rejection(Status.INVALID_ARGUMENT.withDescription("invalid message: " + e.getMessage()));
        }
        if (!m.to().equals(nodeId)) {
            throw new Rejection(Status.INVALID_ARGUMENT.withDescription(m.type() + " addressed to '" + m.to()
                    + "' was delivered to node '" + nodeId + "'"));
        }
        if (m.from().equals(nodeId) || !members.get().contains(m.from())) {
            throw new Rejection(Status.PERMISSION_DENIED.withDescription("sender '" + m.from()
                    + "' is not a member of the cluster as known to node '" + nodeId + "'"));
        }
        if (m.type() == io.raftx.raft.MessageType.SNAPSHOT) {
            throw new Rejection(Status.INVALID_ARGUMENT.withDescription("SNAPSHOT messages travel with their data "
                    + "over InstallSnapshot, not alone"));
        }
        if (streamFrom != null && !streamFrom.equals(m.from())) {
            throw new Rejection(Status.INVALID_ARGUMENT.withDescription("stream opened by '" + streamFrom
                    + "' carried a message from '" + m.from() + "'"));
        }
        return m;
    }

    private void deliver(Message m) {
        metrics.received.increment();
        try {
            handler.onMessage(m);
        } catch (RuntimeException e) {
            log.error("node {}: message handler failed on {}", nodeId, m, e);
        }
    }

    private void reject(String remote, String method, Status status) {
        metrics.inboundRejected.increment();
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

    private static final class Rejection extends Exception {
        final Status status;

        Rejection(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
