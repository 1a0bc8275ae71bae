package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.kv.watch.CompactedException;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KvSnapshotTest {

    private final KvStateMachine source = new KvStateMachine();
    private final KvStateMachine target =
            new KvStateMachine(WatchOptions.defaults().withDeliveryExecutor(Runnable::run));
    private final List<WatchEvent> targetEvents = new ArrayList<>();

    @BeforeEach
    void fillSource() {
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(source);
        log.put("a", "1");
        log.put("a", "2");
        log.put("b", "x");
        log.put("gone", "soon");
        log.delete("gone");
        log.txn(Txn.builder().then(Op.put(b("c.1"), b("one")), Op.put(b("c.2"), new byte[0])).build());
        log.put("\u00e9t\u00e9", "\u2603");
        source.apply(++log.index, new byte[] {42}); // a malformed entry changes nothing, snapshot included
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private static byte[] snapshot(KvStateMachine m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.snapshot(out);
        return out.toByteArray();
    }

    private static List<KeyValue> everything(KvStateMachine m) {
        return m.scan(new byte[0], Integer.MAX_VALUE).keyValues();
    }

    @Test
    void roundTripRestoresKeysValuesMetadataAndRevision() throws IOException {
        byte[] bytes = snapshot(source);
        target.restore(new ByteArrayInputStream(bytes));

        assertThat(target.revision()).isEqualTo(source.revision()).isEqualTo(7);
        assertThat(everything(target)).isEqualTo(everything(source)).hasSize(5);
        assertThat(target.get("a")).contains(new KeyValue(b("a"), b("2"), 1, 2, 2));
        assertThat(snapshot(target)).as("the format is canonical").isEqualTo(bytes);
    }

    @Test
    void restoreReplacesStateFiresNoEventsAndLaterWritesContinueTheRevision() throws IOException {
        KvTestSupport.DirectApply targetLog = new KvTestSupport.DirectApply(target);
        targetLog.put("only-in-target", "x");
        target.watches().watch("**", targetEvents::add);

        target.restore(new ByteArrayInputStream(snapshot(source)));

        assertThat(targetEvents).as("restore replays nothing").isEmpty();
        assertThat(target.get("only-in-target")).isEmpty();
        assertThatThrownBy(() -> target.watches().watch("**", 3, e -> { }))
                .isInstanceOf(CompactedException.class)
                .hasMessage("revision 3 is compacted; oldest retained is 8;"
                        + " re-read the keys and watch from the current revision");

        targetLog.put("after", "restore");
        assertThat(targetEvents).containsExactly(WatchEvent.put(b("after"), null, b("restore"), 8));
    }

    /** A version 1 snapshot (written before leases existed) restores: keys without leases, no lease table. */
    @Test
    void aSnapshotFromBeforeLeasesStillRestores() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.zip.CheckedOutputStream checked = new java.util.zip.CheckedOutputStream(bytes, new java.util.zip.CRC32());
        java.io.DataOutputStream out = new java.io.DataOutputStream(checked);
        out.writeInt(KvSnapshotFormat.MAGIC);
        out.writeInt(1);
        out.writeLong(5);
        out.writeLong(1);
        out.writeInt(3);
        out.write(b("old"));
        out.writeInt(1);
        out.write(b("v"));
        out.writeLong(2);
        out.writeLong(5);
        out.writeLong(3);
        out.flush();
        out.writeLong(checked.getChecksum().getValue());
        out.flush();

        target.restore(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(target.revision()).isEqualTo(5);
        assertThat(target.get("old")).contains(new KeyValue(b("old"), b("v"), 2, 5, 3));
        assertThat(target.leases()).isEmpty();
        assertThat(target.compactedRevision()).as("an old snapshot carries no history").isEqualTo(5);
    }

    @Test
    void corruptSnapshotIsRejectedAndTheLiveStateIsKept() throws IOException {
        byte[] good = snapshot(source);
        KvTestSupport.DirectApply targetLog = new KvTestSupport.DirectApply(target);
        targetLog.put("mine", "1");

        byte[] flipped = good.clone();
        flipped[30] ^= 0x01;
        assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(flipped)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 4))))
                .isInstanceOf(IOException.class);
        byte[] badChecksum = good.clone();
        badChecksum[good.length - 1] ^= 0x01;
        assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(badChecksum)))
                .isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch");
        byte[] futureVersion = good.clone();
        ByteBuffer.wrap(futureVersion).putInt(4, 4);
        assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(futureVersion)))
                .isInstanceOf(IOException.class)
                .hasMessage("unsupported KV snapshot version 4 (this build reads 1 to 3)");
        assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(b("garbage!garbage!garbage!"))))
                .isInstanceOf(IOException.class).hasMessageContaining("not a RaftX KV snapshot");

        assertThat(target.revision()).isEqualTo(1);
        assertThat(target.get("mine")).isPresent();
    }

    @Test
    void emptyStoreRoundTrips() throws IOException {
        KvStateMachine empty = new KvStateMachine();
        target.restore(new ByteArrayInputStream(snapshot(empty)));
        assertThat(target.revision()).isZero();
        assertThat(target.size()).isZero();
        empty.close();
    }
}
