package io.raftx.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotTransferException;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.SnapshotAck;
import io.raftx.transport.proto.SnapshotChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Client side of one {@code InstallSnapshot} call (see peer.proto): offers the snapshot, learns the offset the
 * receiver already holds, then streams the rest of the file in chunks. A chunk is read from the file only when the
 * call is ready for more (gRPC flow control), so memory holds about one chunk however large the file is.
 *
 * <p>Everything runs on the peer's executor, which is also the channel's callback executor: no locks needed.
 * A transfer that makes no progress for {@link #STALL_NANOS} is cancelled (a peer that stopped reading).
 */
final class SnapshotUpload implements ClientResponseObserver<SnapshotChunk, SnapshotAck> {

    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private enum Phase { OFFERED, SENDING, SENT_LAST, DONE }

    private final String peerId;
    private final OutboundSnapshot snapshot;
    private final int chunkBytes;
    private final ScheduledExecutorService executor;
    private final CompletableFuture<SnapshotSent> result = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private ClientCallStreamObserver<SnapshotChunk> requests;
    private ScheduledFuture<?> watchdog;
    private Phase phase = Phase.OFFERED;
    private long position;
    private long resumedFrom;
    private long bytesSent;
    private long lastProgressNanos = startedNanos;

    SnapshotUpload(String peerId, OutboundSnapshot snapshot, int chunkBytes, ScheduledExecutorService executor) {
        this.peerId = peerId;
        this.snapshot = snapshot;
        this.chunkBytes = chunkBytes;
        this.executor = executor;
        // Cancelling the future (the leader moved on) stops the call.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                runOnPeerThread(() -> {
                    if (requests != null) {
                        requests.cancel("snapshot transfer cancelled by the sender", null);
                    }
                    finish();
                });
            }
        });
    }

    CompletableFuture<SnapshotSent> result() {
        return result;
    }

    /** Opens the call and sends the offer. Runs on the peer thread. */
    void start(RaftPeerGrpc.RaftPeerStub stub) {
        if (result.isDone()) {
            finish();
            return;
        }
        try {
            stub.installSnapshot(this);
            requests.onNext(SnapshotChunk.newBuilder()
                    .setMessage(MessageCodec.toProto(snapshot.message()))
                    .setTotalSize(snapshot.size())
                    .build());
            watchdog = executor.scheduleWithFixedDelay(this::checkProgress, 1, 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            fail("could not start: " + e, e);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::pump);
    }

    @Override
    public void onNext(SnapshotAck ack) {
        lastProgressNanos = System.nanoTime();
        if (ack.getComplete()) {
            succeed();
            return;
        }
        if (phase != Phase.OFFERED) {
            return; // only the offer's answer carries an offset
        }
        long offset = ack.getNextOffset();
        if (offset < 0 || offset > snapshot.size()) {
            requests.cancel("receiver asked for offset " + offset + " of a " + snapshot.size() + "-byte snapshot",
                    null);
            return;
        }
        resumedFrom = offset;
        position = offset;
        phase = Phase.SENDING;
        pump();
    }

    /** Sends chunks while the call has room. */
    private void pump() {
        if (phase != Phase.SENDING) {
            return;
        }
        try {
            while (phase == Phase.SENDING && requests.isReady()) {
                int n = (int) Math.min(chunkBytes, snapshot.size() - position);
                byte[] data = new byte[n];
                snapshot.readFully(ByteBuffer.wrap(data), position);
                boolean last = position + n == snapshot.size();
                SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder()
                        .setOffset(position)
                        .setData(n == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(data));
                if (last) {
                    chunk.setLast(true).setCrc32C(snapshot.crc32c());
                }
                requests.onNext(chunk.build());
                position += n;
                bytesSent += n;
                lastProgressNanos = System.nanoTime();
                if (last) {
                    phase = Phase.SENT_LAST;
                    requests.onCompleted();
                }
            }
        } catch (IOException | RuntimeException e) {
            requests.cancel("reading the snapshot file failed", e);
            fail("reading the snapshot file failed: " + e, e);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        fail(status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription()), t);
    }

    @Override
    public void onCompleted() {
        if (phase != Phase.DONE) {
            fail("the receiver ended the call without confirming the snapshot", null);
        }
    }

    private void checkProgress() {
        if (phase != Phase.DONE && System.nanoTime() - lastProgressNanos > STALL_NANOS) {
            requests.cancel("no progress for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s", null);
        }
    }

    private void succeed() {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.OFFERED) {
            resumedFrom = snapshot.size(); // the receiver needed no data
        }
        phase = Phase.DONE;
        finish();
        result.complete(new SnapshotSent(resumedFrom, bytesSent, System.nanoTime() - startedNanos));
    }

    private void fail(String why, Throwable cause) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        finish();
        result.completeExceptionally(new SnapshotTransferException("snapshot " + snapshot.message().index() + "@"
                + snapshot.message().logTerm() + " to " + peerId + " failed after " + bytesSent + " bytes (resumed at "
                + resumedFrom + "): " + why, bytesSent, cause));
    }

    private void finish() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        try {
            snapshot.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    private void runOnPeerThread(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the peer is closing: clean up here
        }
    }
}
