package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static io.raftx.kv.KvTestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raftx.node.ReadConsistency;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invalid requests are refused before they are proposed, with messages that name the limit and the size. */
class KvLimitsTest {

    private static final KvLimits SMALL = KvLimits.DEFAULTS.withMaxKeyBytes(8).withMaxValueBytes(16).withMaxTxnOps(3);

    private KvTestSupport.SingleNode cluster;
    private KvClient kv;
    private long lastIndexBefore;

    @BeforeEach
    void start() {
        cluster = new KvTestSupport.SingleNode(new KvStateMachine(), SMALL);
        kv = cluster.kv;
        lastIndexBefore = cluster.node.status().lastIndex();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private InvalidRequestException refused(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> join(f));
        assertThat(t).isInstanceOf(InvalidRequestException.class);
        assertThat(((InvalidRequestException) t).definitelyNotApplied()).isTrue();
        return (InvalidRequestException) t;
    }

    @Test
    void defaultsAreFourKibKeysAndOneMibValues() {
        assertThat(KvLimits.DEFAULTS.maxKeyBytes()).isEqualTo(4096);
        assertThat(KvLimits.DEFAULTS.maxValueBytes()).isEqualTo(1 << 20);
    }

    @Test
    void emptyKeyIsRefused() {
        assertThat(refused(kv.put(new byte[0], b("v")))).hasMessage("key must not be empty");
        assertThat(refused(kv.get(new byte[0], ReadConsistency.LOCAL))).hasMessage("key must not be empty");
        assertThat(refused(kv.delete(""))).hasMessage("key must not be empty");
    }

    @Test
    void oversizedKeyNamesTheLimitAndTheSize() {
        assertThat(refused(kv.put("123456789", "v")))
                .hasMessage("key '123456789' is 9 bytes; the limit maxKeyBytes is 8");
        assertThat(refused(kv.putIfAbsent("123456789", "v"))).hasMessageContaining("maxKeyBytes is 8");
        assertThat(refused(kv.scan("123456789", 1, ReadConsistency.LOCAL))).hasMessageContaining("maxKeyBytes is 8");
    }

    @Test
    void oversizedValueNamesTheLimitAndTheSize() {
        byte[] big = new byte[17];
        Arrays.fill(big, (byte) 'x');
        assertThat(refused(kv.put(b("k"), big)))
                .hasMessage("value of key 'k' is 17 bytes; the limit maxValueBytes is 16");
        assertThat(refused(kv.compareAndSet(b("k"), big, b("v")))).hasMessageContaining("17 bytes");
        assertThat(refused(kv.update(b("k"), big))).hasMessageContaining("maxValueBytes is 16");
    }

    @Test
    void tooManyTransactionOpsAreRefused() {
        Txn txn = Txn.builder().then(Op.get(b("a")), Op.get(b("b")), Op.get(b("c")), Op.get(b("d"))).build();
        assertThat(refused(kv.txn(txn))).hasMessage("transaction has 4 then-ops; the limit maxTxnOps is 3");
        Txn badKeyInCompare = Txn.builder().when(Compare.absent(b("123456789"))).build();
        assertThat(refused(kv.txn(badKeyInCompare))).hasMessageContaining("maxKeyBytes");
    }

    @Test
    void invalidScanLimitIsRefused() {
        assertThat(refused(kv.scan("a", 0, ReadConsistency.LOCAL))).hasMessage("scan limit must be >= 1, got 0");
    }

    @Test
    void refusedRequestsAreNeverProposed() {
        refused(kv.put("123456789", "v"));
        refused(kv.put(new byte[0], b("v")));
        assertThat(cluster.node.status().lastIndex()).isEqualTo(lastIndexBefore);
        assertThat(cluster.sm.revision()).isZero();
        assertThat(join(kv.put("ok", "fits")).revision()).isEqualTo(1);
    }

    @Test
    void limitsThemselvesAreValidated() {
        assertThatThrownBy(() -> new KvLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeyBytes >= 1");
    }
}
