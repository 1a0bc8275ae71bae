package io.raftx.transport;

import io.raftx.raft.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
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
        return new InboundSnapshot() {
            @Override
            public boolean needsData() {
                return in.needsData();
            }

            @Override
            public long offset() {
                return in.offset();
            }

            @Override
            public void write(long offset, ByteBuffer data) throws IOException {
                checkNotBlocked(message.from());
                in.write(offset, data);
            }

            @Override
            public void complete(int crc32c) throws IOException {
                in.complete(crc32c);
            }

            @Override
            public void abort() {
                in.abort();
            }
        };
    }

    private void checkNotBlocked(String from) throws IOException {
        if (blocked.get().contains(from)) {
            countDrop.run();
            throw new IOException("snapshot from '" + from + "' refused: blocked by fault injection");
        }
    }
}
