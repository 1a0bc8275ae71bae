package io.raftx.transport;

import io.raftx.raft.Message;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.snapshot.SnapshotStreaming;
import io.raftx.snapshot.SnapshotTransferException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test fault injection: a {@link GrpcTransport} that can be cut off from chosen peers, as a network partition
 * would, until healed. Raft and extension messages to and from those peers are dropped; forwarding a request to
 * them fails at once, and requests they forward here are refused, both as if the peer were unreachable; snapshot
 * offers from them are refused and a transfer under way breaks off (the receiver keeps what arrived, as after a
 * network cut). Connections stay open, so healing takes effect immediately. Blocking on one side of a link is
 * enough to cut it in both directions. Every such drop is counted ({@link #blockedDrops}).
 */
public final class PartitionableTransport implements Transport, SnapshotStreaming, ExtensionMessaging {

    private static final Logger log = LoggerFactory.getLogger(PartitionableTransport.class);

    private final GrpcTransport delegate;
    private final AtomicLong blockedDrops = new AtomicLong();
    private volatile Set<String> blocked = Set.of();

    public PartitionableTransport(GrpcTransport delegate) {
        this.delegate = delegate;
    }

    public GrpcTransport delegate() {
        return delegate;
    }

    /** Cuts this node off from {@code peerIds} until called again (an empty set heals). */
    public void blockPeers(Set<String> peerIds) {
        blocked = Set.copyOf(peerIds);
        log.info("node {}: fault injection: {}", delegate.config().nodeId(),
                blocked.isEmpty() ? "all peers unblocked" : "blocking traffic to and from " + blocked);
    }

    /** Messages, forwarded requests and snapshot offers dropped or refused because of a block, both directions. */
    public long blockedDrops() {
        return blockedDrops.get();
    }

    private boolean isBlocked(String peer) {
        if (blocked.contains(peer)) {
            blockedDrops.incrementAndGet();
            return true;
        }
        return false;
    }

    private <T> CompletableFuture<T> refused(String what) {
        return CompletableFuture.failedFuture(new IllegalStateException(what + ": blocked by fault injection"));
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        delegate.start(m -> {
            if (!isBlocked(m.from())) {
                handler.onMessage(m);
            }
        }, forwardHandler == null ? null : (from, command) -> isBlocked(from)
                ? refused("request forwarded by '" + from + "' refused")
                : forwardHandler.onForward(from, command));
    }

    @Override
    public void acceptSnapshots(SnapshotSink sink) {
        delegate.acceptSnapshots(sink == null ? null : (message, totalSize) -> {
            checkNotBlocked(message.from());
            InboundSnapshot in = sink.offer(message, totalSize);
            return InboundSnapshot.intercepted(in, (offset, data, target) -> {
                checkNotBlocked(message.from());
                target.write(offset, data);
            });
        });
    }

    private void checkNotBlocked(String from) throws IOException {
        if (isBlocked(from)) {
            throw new IOException("snapshot from '" + from + "' refused: blocked by fault injection");
        }
    }

    @Override
    public void onExtension(String channel, ExtensionHandler handler) {
        delegate.onExtension(channel, (ch, from, payload) -> {
            if (!isBlocked(from)) {
                handler.onExtension(ch, from, payload);
            }
        });
    }

    @Override
    public void sendExtension(String to, String channel, byte[] payload) {
        if (!isBlocked(to)) {
            delegate.sendExtension(to, channel, payload);
        }
    }

    @Override
    public void send(Message message) {
        if (message != null && !isBlocked(message.to())) {
            delegate.send(message);
        }
    }

    @Override
    public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
        return isBlocked(to) ? refused("cannot forward to '" + to + "'") : delegate.forward(to, command, timeout);
    }

    @Override
    public CompletableFuture<List<ForwardResult>> forwardBatch(String to, List<byte[]> commands, Duration timeout) {
        return isBlocked(to) ? refused("cannot forward to '" + to + "'")
                : delegate.forwardBatch(to, commands, timeout);
    }

    @Override
    public CompletableFuture<SnapshotSent> sendSnapshot(OutboundSnapshot snapshot) {
        if (!isBlocked(snapshot.to())) {
            return delegate.sendSnapshot(snapshot);
        }
        try {
            snapshot.close();
        } catch (IOException ignored) {
            // read-only
        }
        return CompletableFuture.failedFuture(new SnapshotTransferException("cannot send a snapshot to '"
                + snapshot.to() + "': blocked by fault injection", 0, null));
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
