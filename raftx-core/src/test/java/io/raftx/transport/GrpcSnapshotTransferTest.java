package io.raftx.transport;

import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.raft.Membership;
import io.raftx.raft.Message;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.InboundSnapshot;
import io.raftx.snapshot.OutboundSnapshot;
import io.raftx.snapshot.SnapshotSent;
import io.raftx.snapshot.SnapshotSink;
import io.raftx.snapshot.SnapshotStaging;
import io.raftx.snapshot.StoredSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InstallSnapshot over real gRPC: chunking, checksum, resume after a broken stream, refusals. */
class GrpcSnapshotTransferTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;
    private final List<GrpcTransport> toClose = new ArrayList<>();
    private final List<SnapshotStaging.Received> delivered = new CopyOnWriteArrayList<>();
    private final AtomicLong commit = new AtomicLong();
    private StoredSnapshot snapshot;

    @BeforeEach
    void writeSnapshot() {
        byte[] payload = new byte[4 << 20];
        new Random(3).nextBytes(payload);
        SnapshotMeta meta = new SnapshotMeta(500, 3, Membership.ofVoters(List.of("a", "b")));
        snapshot = FileSnapshotStore.open(dir.resolve("a")).save(meta, out -> out.write(payload));
    }

    @AfterEach
    void closeAll() {
        toClose.forEach(GrpcTransport::close);
    }

    /** A sink that breaks the stream (once) after {@code failAfterChunks} chunks, and counts what it kept. */
    private static final class CuttingSink implements SnapshotSink {
        final SnapshotSink delegate;
        final AtomicInteger chunksLeft;
        final AtomicLong bytesWritten = new AtomicLong();

        CuttingSink(SnapshotSink delegate, int failAfterChunks) {
            this.delegate = delegate;
            this.chunksLeft = new AtomicInteger(failAfterChunks);
        }

        @Override
        public InboundSnapshot offer(Message message, long totalSize) throws IOException {
            InboundSnapshot in = delegate.offer(message, totalSize);
            return InboundSnapshot.intercepted(in, (offset, data, target) -> {
                if (chunksLeft.getAndDecrement() == 0) {
                    throw new IOException("injected fault: stream cut");
                }
                int n = data.remaining();
                target.write(offset, data);
                bytesWritten.addAndGet(n);
            });
        }
    }

    private GrpcTransport[] pair(SnapshotSink sinkOfB) {
        GrpcTransport a = new GrpcTransport(config("a").build());
        GrpcTransport b = new GrpcTransport(config("b").build());
        toClose.add(a);
        toClose.add(b);
        a.start(m -> { }, null);
        b.acceptSnapshots(sinkOfB);
        b.start(m -> { }, null);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        return new GrpcTransport[] {a, b};
    }

    private SnapshotStaging staging() {
        return new SnapshotStaging(FileSnapshotStore.open(dir.resolve("b")).incomingDir(), commit::get, delivered::add);
    }

    private OutboundSnapshot outbound() throws IOException {
        return new OutboundSnapshot(Message.snapshot("a", "b", 7, snapshot.meta()), snapshot.openFile(),
                snapshot.size(), snapshot.crc32c(), CHUNK);
    }

    @Test
    void aCutStreamResumesFromTheBytesTheReceiverKept() throws Exception {
        CuttingSink sink = new CuttingSink(staging(), 20);
        GrpcTransport a = pair(sink)[0];

        assertThatThrownBy(() -> a.sendSnapshot(outbound()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("injected fault");
        assertThat(sink.bytesWritten.get()).isEqualTo(20L * CHUNK);
        assertThat(delivered).isEmpty();

        SnapshotSent sent = a.sendSnapshot(outbound()).get(30, TimeUnit.SECONDS);
        assertThat(sent.resumedFrom()).isEqualTo(20L * CHUNK);
        assertThat(sent.bytesSent()).isEqualTo(snapshot.size() - 20L * CHUNK);
        assertThat(sink.bytesWritten.get()).as("no byte staged twice").isEqualTo(snapshot.size());
        assertThat(delivered).singleElement().satisfies(r -> {
            assertThat(r.message().snapshotMeta()).isEqualTo(snapshot.meta());
            assertThat(Files.readAllBytes(r.snapshot().file())).isEqualTo(Files.readAllBytes(snapshot.file()));
        });
    }

    @Test
    void aReceiverThatAlreadyCoversTheSnapshotNeedsNoData() throws Exception {
        commit.set(600);
        GrpcTransport a = pair(staging())[0];
        SnapshotSent sent = a.sendSnapshot(outbound()).get(30, TimeUnit.SECONDS);
        assertThat(sent.bytesSent()).isZero();
        assertThat(delivered).singleElement().satisfies(r -> assertThat(r.snapshot()).isNull());
    }

    @Test
    void aReceiverWithoutSinkRefusesSnapshots() {
        GrpcTransport a = pair(null)[0];
        assertThatThrownBy(() -> a.sendSnapshot(outbound()).get(30, TimeUnit.SECONDS))
                .hasMessageContaining("does not accept snapshots");
    }

    @Test
    void anUnknownPeerFailsAtOnce() {
        GrpcTransport a = pair(staging())[0];
        OutboundSnapshot toNobody;
        try {
            toNobody = new OutboundSnapshot(Message.snapshot("a", "z", 7, snapshot.meta()), snapshot.openFile(),
                    snapshot.size(), snapshot.crc32c(), CHUNK);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThatThrownBy(() -> a.sendSnapshot(toNobody).get(5, TimeUnit.SECONDS))
                .hasMessageContaining("not a known peer");
    }

    @Test
    void aSnapshotMessageWithoutItsDataIsNotSent() {
        GrpcTransport a = pair(staging())[0];
        a.send(Message.snapshot("a", "b", 7, snapshot.meta()));
        assertThat(a.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    }
}
