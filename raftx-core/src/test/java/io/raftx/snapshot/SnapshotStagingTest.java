package io.raftx.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.raft.Message;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.InboundSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStagingTest {

    @TempDir
    Path dir;
    private FileSnapshotStore leaderStore;
    private final List<SnapshotStaging.Received> delivered = new ArrayList<>();
    private final AtomicLong commit = new AtomicLong();
    private SnapshotStaging staging;
    private StoredSnapshot snapshot;
    private byte[] file;

    @BeforeEach
    void setUp() throws IOException {
        leaderStore = FileSnapshotStore.open(dir.resolve("leader"));
        snapshot = leaderStore.save(FileSnapshotStoreTest.meta(100, 4),
                out -> out.write(FileSnapshotStoreTest.payload(300_000, 9)));
        file = Files.readAllBytes(snapshot.file());
        staging = newStaging();
    }

    private SnapshotStaging newStaging() {
        return new SnapshotStaging(FileSnapshotStore.open(dir.resolve("follower")).incomingDir(), commit::get,
                delivered::add);
    }

    private static Message message(SnapshotMeta meta) {
        return Message.snapshot("n1", "n2", 5, meta);
    }

    private void send(InboundSnapshot in, int from, int to) throws IOException {
        in.write(from, ByteBuffer.wrap(file, from, to - from));
    }

    @Test
    void aCompleteTransferIsCheckedAndDelivered() throws IOException {
        InboundSnapshot in = staging.offer(message(snapshot.meta()), file.length);
        assertThat(in.needsData()).isTrue();
        assertThat(in.offset()).isZero();
        send(in, 0, 100_000);
        send(in, 100_000, file.length);
        in.complete(snapshot.crc32c());
        assertThat(delivered).hasSize(1);
        StoredSnapshot received = delivered.get(0).snapshot();
        assertThat(received.meta()).isEqualTo(snapshot.meta());
        assertThat(Files.readAllBytes(received.file())).isEqualTo(file);
        try (InputStream a = received.openPayload(); InputStream b = snapshot.openPayload()) {
            assertThat(a.readAllBytes()).isEqualTo(b.readAllBytes());
        }
    }

    @Test
    void aBrokenTransferResumesAfterTheBytesReceivedEvenAcrossARestart() throws IOException {
        InboundSnapshot first = staging.offer(message(snapshot.meta()), file.length);
        send(first, 0, 120_000);
        first.abort();
        staging = newStaging(); // the follower restarts in between
        InboundSnapshot second = staging.offer(message(snapshot.meta()), file.length);
        assertThat(second.offset()).isEqualTo(120_000);
        send(second, 120_000, file.length);
        second.complete(snapshot.crc32c());
        assertThat(Files.readAllBytes(delivered.get(0).snapshot().file())).isEqualTo(file);
    }

    @Test
    void chunksMustArriveInOrderAndWithinTheAnnouncedSize() throws IOException {
        InboundSnapshot in = staging.offer(message(snapshot.meta()), file.length);
        send(in, 0, 1000);
        assertThatThrownBy(() -> send(in, 2000, 3000)).hasMessageContaining("offset 2000 but 1000 bytes are staged");
        InboundSnapshot again = staging.offer(message(snapshot.meta()), file.length);
        assertThatThrownBy(() -> again.write(again.offset(), ByteBuffer.allocate(file.length)))
                .hasMessageContaining("past the announced size");
    }

    @Test
    void aChecksumMismatchDropsTheStagedBytesSoTheNextTransferStartsOver() throws IOException {
        InboundSnapshot in = staging.offer(message(snapshot.meta()), file.length);
        byte[] damaged = file.clone();
        damaged[200_000] ^= 1;
        in.write(0, ByteBuffer.wrap(damaged));
        assertThatThrownBy(() -> in.complete(snapshot.crc32c())).hasMessageContaining("checksum");
        assertThat(delivered).isEmpty();
        assertThat(staging.offer(message(snapshot.meta()), file.length).offset()).isZero();
    }

    @Test
    void aNewTransferSupersedesAnOpenOneOfTheSameSnapshot() throws IOException {
        InboundSnapshot old = staging.offer(message(snapshot.meta()), file.length);
        send(old, 0, 5000);
        InboundSnapshot fresh = staging.offer(message(snapshot.meta()), file.length);
        assertThat(fresh.offset()).isEqualTo(5000);
        assertThatThrownBy(() -> send(old, 5000, 6000)).hasMessageContaining("superseded");
        send(fresh, 5000, file.length);
        fresh.complete(snapshot.crc32c());
        assertThat(delivered).hasSize(1);
    }

    @Test
    void anOfferOfAnotherSnapshotDropsTheOldPartialFile() throws IOException {
        InboundSnapshot old = staging.offer(message(snapshot.meta()), file.length);
        send(old, 0, 5000);
        old.abort();
        StoredSnapshot newer = leaderStore.save(FileSnapshotStoreTest.meta(200, 4), out -> out.write(1));
        staging.offer(message(newer.meta()), newer.size()).abort();
        assertThat(staging.offer(message(snapshot.meta()), file.length).offset()).isZero();
    }

    @Test
    void aSnapshotThisNodeAlreadyCoversNeedsNoData() throws IOException {
        commit.set(150);
        InboundSnapshot in = staging.offer(message(snapshot.meta()), file.length);
        assertThat(in.needsData()).isFalse();
        assertThat(delivered).singleElement().satisfies(r -> assertThat(r.snapshot()).isNull());
    }
}
