package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.MessageHandler;
import io.raftx.transport.Transport;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.snapshot.SnapshotStreaming;
import io.raftx.snapshot.SnapshotTransferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-JVM transport for runtime tests: every node of a {@link Hub} reaches the others directly. Snapshots are
 * streamed chunk by chunk into the receiver's sink, like the gRPC transport does. The hub can drop a share of the
 * messages and break snapshot transfers off at random ({@link Hub#lossRate}).
 */
final class LocalTransport implements Transport, SnapshotStreaming {

    static final class Hub {
        final Map<String, LocalTransport> nodes = new ConcurrentHashMap<>();
        final Set<String> isolated = ConcurrentHashMap.newKeySet();
        final ExecutorService executor = Executors.newCachedThreadPool();
        /** Probability that a message, or a snapshot chunk (ending its transfer), is lost. */
        volatile double lossRate;
        /** Snapshot bytes written into receivers' sinks, over all transfers. */
        final AtomicLong snapshotBytesDelivered = new AtomicLong();

        boolean lose() {
            double p = lossRate;
            return p > 0 && ThreadLocalRandom.current().nextDouble() < p;
        }

        LocalTransport join(String id) {
            return new LocalTransport(this, id);
        }

        boolean connected(String a, String b) {
            return !isolated.contains(a) && !isolated.contains(b);
        }
    }

    private final Hub hub;
    private final String id;
    private volatile MessageHandler handler;
    private volatile ForwardHandler forwardHandler;
    private volatile SnapshotSink snapshotSink;

    private LocalTransport(Hub hub, String id) {
        this.hub = hub;
        this.id = id;
    }

    @Override
    public void acceptSnapshots(SnapshotSink sink) {
        this.snapshotSink = sink;
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        this.handler = handler;
        this.forwardHandler = forwardHandler;
        hub.nodes.put(id, this);
    }

    @Override
    public CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot s) {
        return CompletableFuture.supplyAsync(() -> {
            try (FileChannel file = s.file()) {
                return stream(s, file);
            } catch (IOException e) {
                throw new SnapshotTransferException("snapshot to " + s.to() + " failed: " + e.getMessage(), 0, e);
            }
        }, hub.executor);
    }

    private SnapshotSent stream(OutboundSnapshot s, FileChannel file) throws IOException {
        long started = System.nanoTime();
        LocalTransport to = hub.nodes.get(s.to());
        if (to == null || !hub.connected(id, s.to()) || to.snapshotSink == null || hub.lose()) {
            throw new IOException(s.to() + " unreachable");
        }
        InboundSnapshot in = to.snapshotSink.offer(s.message(), s.size());
        if (!in.needsData()) {
            return new SnapshotSent(s.size(), 0, System.nanoTime() - started);
        }
        long position = in.offset();
        long sent = 0;
        ByteBuffer buf = ByteBuffer.allocate(s.chunkBytes());
        try {
            while (position < s.size()) {
                if (!hub.connected(id, s.to()) || hub.lose()) {
                    throw new IOException("transfer to " + s.to() + " broke off at byte " + position);
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), s.size() - position));
                while (buf.hasRemaining()) {
                    if (file.read(buf, position + buf.position()) < 0) {
                        throw new IOException("snapshot file ended early");
                    }
                }
                buf.flip();
                int n = buf.remaining();
                in.write(position, buf);
                hub.snapshotBytesDelivered.addAndGet(n);
                position += n;
                sent += n;
            }
            in.complete(s.crc32c());
        } catch (IOException | RuntimeException e) {
            in.abort(); // keeps what arrived, as a broken stream does
            throw e;
        }
        return new SnapshotSent(position - sent, sent, System.nanoTime() - started);
    }

    @Override
    public void send(Message m) {
        LocalTransport to = hub.nodes.get(m.to());
        if (to != null && hub.connected(id, m.to()) && !hub.lose()) {
            try {
                to.handler.onMessage(m);
            } catch (RuntimeException stopped) {
                // the receiver is shutting down: a lost message, which Raft tolerates
            }
        }
    }

    @Override
    public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
        LocalTransport target = hub.nodes.get(to);
        if (target == null || !hub.connected(id, to)) {
            return CompletableFuture.failedFuture(new IllegalStateException(to + " unreachable"));
        }
        return CompletableFuture.supplyAsync(() -> target.forwardHandler.onForward(id, command), hub.executor)
                .thenCompose(f -> f);
    }

    @Override
    public void updatePeers(Map<String, String> idToAddress) {
    }

    @Override
    public void close() {
        hub.nodes.remove(id, this);
    }
}
