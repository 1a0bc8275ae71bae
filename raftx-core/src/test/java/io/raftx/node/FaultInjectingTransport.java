package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.transport.MessageHandler;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.snapshot.SnapshotStreaming;
import io.raftx.snapshot.SnapshotTransferException;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a node's real transport to watch snapshot transfers and break one: on the receiving side it can fail the
 * incoming stream once, after a number of chunks (the gRPC call then ends with an error and the receiver keeps what
 * it staged, exactly as when a connection drops); on the sending side it records every transfer's outcome.
 */
final class FaultInjectingTransport implements Transport, SnapshotStreaming {

    /** What all wrapped transports of a cluster observed. */
    static final class Observed {
        /** Incoming transfers fail once, after this many chunks (negative: never). */
        final AtomicInteger cutAfterChunks = new AtomicInteger(-1);
        final AtomicBoolean cut = new AtomicBoolean();
        /** Offsets the receiver answered offers with (where each attempt started). */
        final List<Long> offeredFrom = new CopyOnWriteArrayList<>();
        /** File bytes the receiver staged, over all attempts. */
        final AtomicLong bytesStaged = new AtomicLong();
        final List<SnapshotSent> sent = new CopyOnWriteArrayList<>();
        /** Size of the file of each transfer started. */
        final List<Long> fileSizes = new CopyOnWriteArrayList<>();
        /** Bytes the sender sent in attempts that failed. */
        final List<Long> failedAttemptBytes = new CopyOnWriteArrayList<>();
    }

    private final GrpcTransport delegate;
    private final Observed observed;

    FaultInjectingTransport(GrpcTransport delegate, Observed observed) {
        this.delegate = delegate;
        this.observed = observed;
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        delegate.start(handler, forwardHandler);
    }

    @Override
    public void acceptSnapshots(SnapshotSink sink) {
        delegate.acceptSnapshots(sink == null ? null : (message, size) -> watch(sink.offer(message, size)));
    }

    private InboundSnapshot watch(InboundSnapshot in) {
        if (in.needsData()) {
            observed.offeredFrom.add(in.offset());
        }
        return InboundSnapshot.intercepted(in, (offset, data, target) -> {
            if (!observed.cut.get() && observed.cutAfterChunks.getAndDecrement() == 0) {
                observed.cut.set(true);
                throw new IOException("injected fault: the stream is cut at byte " + offset);
            }
            int n = data.remaining();
            target.write(offset, data);
            observed.bytesStaged.addAndGet(n);
        });
    }

    @Override
    public CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        observed.fileSizes.add(snapshot.size());
        return delegate.sendSnapshot(snapshot).whenComplete((sent, error) -> {
            if (sent != null) {
                observed.sent.add(sent);
            } else if (error instanceof SnapshotTransferException e) {
                observed.failedAttemptBytes.add(e.bytesSent());
            }
        });
    }

    @Override
    public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
        return delegate.forward(to, command, timeout);
    }

    @Override
    public void send(Message message) {
        delegate.send(message);
    }

    @Override
    public void updatePeers(Map<String, String> idToAddress) {
        delegate.updatePeers(idToAddress);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
