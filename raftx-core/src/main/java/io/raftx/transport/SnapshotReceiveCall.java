package io.raftx.transport;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.transport.proto.SnapshotAck;
import io.raftx.transport.proto.SnapshotChunk;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of one {@code InstallSnapshot} call (see peer.proto): checks the offer, answers where to continue,
 * writes the chunks to the {@link SnapshotSink}'s session in order and completes it after the last one. gRPC hands
 * this observer one chunk at a time and asks for the next only when {@link #onNext} returned, so a slow disk slows
 * the sender down instead of filling memory.
 */
final class SnapshotReceiveCall implements StreamObserver<SnapshotChunk> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiveCall.class);

    private final String nodeId;
    private final SenderRule senders;
    private final SnapshotSink sink;
    private final StreamObserver<SnapshotAck> responses;
    private final String remote;
    private InboundSnapshot session;
    private Message message;
    private long expectedOffset;
    private boolean done;

    /** The sender rules of {@link SenderCheck} for this call's connection: null if accepted, else the refusal. */
    interface SenderRule {
        Status check(String from, String to);
    }

    SnapshotReceiveCall(String nodeId, SenderRule senders, SnapshotSink sink,
                        StreamObserver<SnapshotAck> responses, String remote) {
        this.nodeId = nodeId;
        this.senders = senders;
        this.sink = sink;
        this.responses = responses;
        this.remote = remote;
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (done) {
            return;
        }
        try {
            if (session == null) {
                offer(chunk);
            } else {
                data(chunk);
            }
        } catch (Refused r) {
            fail(r.status);
        } catch (IOException | RuntimeException e) {
            fail((session == null ? Status.UNAVAILABLE : Status.DATA_LOSS).withDescription("node '" + nodeId
                    + "' could not stage the snapshot: " + e.getMessage()));
        }
    }

    private void offer(SnapshotChunk chunk) throws Refused, IOException {
        if (!chunk.hasMessage()) {
            throw new Refused(Status.INVALID_ARGUMENT.withDescription("the first chunk of a snapshot transfer must be "
                    + "the offer (message and total_size)"));
        }
        Message m;
        try {
            m = MessageCodec.fromProto(chunk.getMessage());
        } catch (InvalidMessageException e) {
            throw new Refused(Status.INVALID_ARGUMENT.withDescription("invalid snapshot offer: " + e.getMessage()));
        }
        Status refused = senders.check(m.from(), m.to());
        if (refused != null) {
            throw new Refused(refused);
        }
        if (m.type() != MessageType.SNAPSHOT) {
            throw new Refused(Status.INVALID_ARGUMENT.withDescription("a snapshot offer must carry a SNAPSHOT message "
                    + "to '" + nodeId + "', got " + m.type() + " to '" + m.to() + "'"));
        }
        if (chunk.getTotalSize() < 0) {
            throw new Refused(Status.INVALID_ARGUMENT.withDescription("negative snapshot size "
                    + chunk.getTotalSize()));
        }
        message = m;
        session = sink.offer(m, chunk.getTotalSize());
        if (!session.needsData()) {
            log.debug("node {}: snapshot {} from {} not needed (already covered)", nodeId, m.index(), m.from());
            finish();
            return;
        }
        expectedOffset = session.offset();
        if (expectedOffset > 0) {
            log.info("node {}: resuming snapshot {}@{} from {} at byte {} of {}", nodeId, m.index(), m.logTerm(),
                    m.from(), expectedOffset, chunk.getTotalSize());
        }
        responses.onNext(SnapshotAck.newBuilder().setNextOffset(expectedOffset).build());
    }

    private void data(SnapshotChunk chunk) throws Refused, IOException {
        if (chunk.hasMessage() || chunk.getOffset() != expectedOffset) {
            throw new Refused(Status.INVALID_ARGUMENT.withDescription("snapshot chunk out of order: expected data at "
                    + "offset " + expectedOffset + ", got " + (chunk.hasMessage() ? "a second offer" : "offset "
                    + chunk.getOffset())));
        }
        session.write(chunk.getOffset(), chunk.getData().asReadOnlyByteBuffer());
        expectedOffset += chunk.getData().size();
        if (chunk.getLast()) {
            session.complete(chunk.getCrc32C());
            log.debug("node {}: snapshot {} from {} received ({} bytes)", nodeId, message.index(), message.from(),
                    expectedOffset);
            finish();
        }
    }

    private void finish() {
        done = true;
        responses.onNext(SnapshotAck.newBuilder().setComplete(true).build());
        responses.onCompleted();
    }

    private void fail(Status status) {
        done = true;
        if (session != null) {
            session.abort();
        }
        log.warn("node {}: snapshot transfer from {} failed: {} {}", nodeId, remote, status.getCode(),
                status.getDescription());
        responses.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            if (session != null) {
                session.abort();
            }
            log.info("node {}: snapshot transfer from {} broke off at byte {}: {}", nodeId,
                    message == null ? remote : message.from(), expectedOffset, Status.fromThrowable(t));
        }
    }

    @Override
    public void onCompleted() {
        if (!done) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot transfer ended before its last chunk"));
        }
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Status status;

        Refused(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
