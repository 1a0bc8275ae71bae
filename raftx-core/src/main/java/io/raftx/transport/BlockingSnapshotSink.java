package io.raftx.transport;

import io.raftx.raft.Message;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fault injection for {@link GrpcTransport#blockPeers}: refuses snapshot offers from blocked peers, and breaks off a
 * transfer under way as soon as its sender is blocked (the receiver keeps what arrived, as after a network cut).
 */
final class BlockingSnapshotSink implements SnapshotSink {

    private final SnapshotSink delegate;
    private final Supplier<Set<String>> blocked;
    private final Runnable countDrop;

    BlockingSnapshotSink(SnapshotSink delegate, Supplier<Set<String>> blocked, Runnable countDrop) {
        this.delegate = delegate;
        this.blocked = blocked;
        this.countDrop = countDrop;
    }

    @Override
    public InboundSnapshot offer(Message message, long totalSize) throws IOException {
        checkNotBlocked(message.from());
        InboundSnapshot in = delegate.offer(message, totalSize);
        return InboundSnapshot.intercepted(in, (offset, data, target) -> {
            checkNotBlocked(message.from());
            target.write(offset, data);
        });
    }

    private void checkNotBlocked(String from) throws IOException {
        if (blocked.get().contains(from)) {
            countDrop.run();
            throw new IOException("snapshot from '" + from + "' refused: blocked by fault injection");
        }
    }
}
