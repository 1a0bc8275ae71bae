package io.raftx.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.raft.Membership;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreTest {

    @TempDir
    Path dir;

    static SnapshotMeta meta(long index, long term) {
        return new SnapshotMeta(index, term, Membership.ofVoters(List.of("n1", "n2", "n3")));
    }

    static byte[] payload(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void savedSnapshotReadsBackWithItsMetaAndPayload() throws Exception {
        FileSnapshotStore store = FileSnapshotStore.open(dir);
        byte[] data = payload(700_000, 1);
        StoredSnapshot saved = store.save(meta(10, 2), out -> out.write(data));
        assertThat(saved.meta()).isEqualTo(meta(10, 2));
        assertThat(saved.payloadLength()).isEqualTo(data.length);
        assertThat(saved.size()).isEqualTo(Files.size(saved.file()));
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(saved.file()));
        assertThat(saved.crc32c()).isEqualTo((int) crc.getValue());
        try (InputStream in = saved.openPayload()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        // A fresh store (a restart) finds and checks it again.
        StoredSnapshot found = FileSnapshotStore.open(dir).find(meta(10, 2)).orElseThrow();
        assertThat(found).isEqualTo(saved);
        assertThat(FileSnapshotStore.open(dir).find(meta(10, 3))).isEmpty();
    }

    @Test
    void latestIsTheHighestIndexAndRetainOnlyDeletesTheOthers() {
        FileSnapshotStore store = FileSnapshotStore.open(dir);
        store.save(meta(5, 1), out -> out.write(1));
        store.save(meta(30, 2), out -> out.write(2));
        store.save(meta(20, 2), out -> out.write(3));
        assertThat(store.latest().orElseThrow().meta().index()).isEqualTo(30);
        store.retainOnly(meta(20, 2));
        assertThat(store.latest().orElseThrow().meta().index()).isEqualTo(20);
        assertThat(store.find(meta(5, 1))).isEmpty();
        assertThat(store.find(meta(30, 2))).isEmpty();
    }

    @Test
    void aWriteThatFailsLeavesNoSnapshotAndNoTemporaryFile() throws IOException {
        FileSnapshotStore store = FileSnapshotStore.open(dir);
        assertThatThrownBy(() -> store.save(meta(7, 1), out -> {
            out.write(payload(1000, 2));
            throw new IOException("state machine failed halfway");
        })).isInstanceOf(StorageException.class).hasMessageContaining("state machine failed halfway");
        assertThat(store.latest()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("incoming");
        }
    }

    @Test
    void temporaryFilesACrashLeftAreRemovedOnOpen() throws IOException {
        FileSnapshotStore.open(dir);
        Files.write(dir.resolve(".tmp-" + FileSnapshotStore.fileName(meta(9, 1))), payload(100, 3));
        FileSnapshotStore store = FileSnapshotStore.open(dir);
        assertThat(store.latest()).isEmpty();
        assertThat(dir.resolve(".tmp-" + FileSnapshotStore.fileName(meta(9, 1)))).doesNotExist();
    }

    @Test
    void aDamagedFileIsRefusedWithAClearError() throws IOException {
        StoredSnapshot saved = FileSnapshotStore.open(dir).save(meta(12, 3), out -> out.write(payload(5000, 4)));
        try (FileChannel ch = FileChannel.open(saved.file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), 2000); // one flipped byte in the payload
        }
        assertThatThrownBy(() -> FileSnapshotStore.open(dir).find(meta(12, 3)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(saved.file().toString()).hasMessageContaining("checksum does not match");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        StoredSnapshot saved = FileSnapshotStore.open(dir).save(meta(12, 3), out -> out.write(payload(5000, 5)));
        try (FileChannel ch = FileChannel.open(saved.file(), StandardOpenOption.WRITE)) {
            ch.truncate(saved.size() - 10);
        }
        assertThatThrownBy(() -> FileSnapshotStore.open(dir).latest())
                .isInstanceOf(StorageException.class).hasMessageContaining("incomplete");
    }
}
