package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchListener;
import io.raftx.kv.watch.WatchOptions;
import io.raftx.kv.watch.WatchOverflow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state machine applied directly: events it produces, malformed commands, determinism. */
class KvStateMachineTest {

    /** Delivers on the publishing thread, so a test sees events as soon as apply returns. */
    private final KvStateMachine sm = new KvStateMachine(WatchOptions.defaults().withDeliveryExecutor(Runnable::run));
    private final KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
    private final List<WatchEvent> events = new ArrayList<>();

    @AfterEach
    void close() {
        sm.close();
    }

    @Test
    void writesProduceEventsWithOldAndNewValuesAfterApply() {
        sm.watches().watch("**", events::add);
        log.put("a", "1");
        log.put("a", "2");
        log.delete("a");
        log.delete("a"); // deletes nothing: no event, no revision
        log.txn(Txn.builder().then(Op.put(b("x"), b("1")), Op.put(b("y"), b("2")), Op.get(b("x"))).build());

        assertThat(events).containsExactly(
                WatchEvent.put(b("a"), null, b("1"), 1),
                WatchEvent.put(b("a"), b("1"), b("2"), 2),
                WatchEvent.delete(b("a"), b("2"), 3),
                WatchEvent.put(b("x"), null, b("1"), 4),
                WatchEvent.put(b("y"), null, b("2"), 4));
        assertThat(events).allSatisfy(e -> assertThat(e.volatileKey()).isFalse());
        assertThat(sm.revision()).isEqualTo(4);
    }

    @Test
    void aStuckListenerDoesNotStallApplyAndCanResumeAfterItsOverflow() throws Exception {
        KvStateMachine machine = new KvStateMachine(WatchOptions.defaults().withQueueCapacity(5));
        KvTestSupport.DirectApply direct = new KvTestSupport.DirectApply(machine);
        CountDownLatch stuck = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        AtomicReference<WatchOverflow> overflow = new AtomicReference<>();
        machine.watches().watch("cfg.**", new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(event.revision());
            }

            @Override
            public void onOverflow(WatchOverflow o) {
                overflow.set(o);
            }
        });

        for (int i = 1; i <= 50; i++) {
            direct.put("cfg.k" + i, "v" + i); // the apply thread: must not wait for the listener
        }
        assertThat(machine.revision()).isEqualTo(50);
        assertThat(stuck.getCount()).as("applied everything while the listener was stuck").isEqualTo(1);

        stuck.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> overflow.get() != null);
        long last = overflow.get().lastDeliveredRevision();
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(machine.watches().overflowCount()).isEqualTo(1);

        List<Long> resumed = new CopyOnWriteArrayList<>();
        machine.watches().watch("cfg.**", overflow.get().resumeFromRevision(), e -> resumed.add(e.revision()));
        direct.put("cfg.k51", "v51");
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.size() == 51 - last);
        assertThat(resumed).containsExactlyElementsOf(LongStream.rangeClosed(last + 1, 51).boxed().toList());
        machine.close();
    }

    @Test
    void aThrowingListenerIsCountedAndApplyGoesOn() {
        Watch broken = sm.watches().watch("**", e -> {
            throw new IllegalStateException("boom");
        });
        sm.watches().watch("**", events::add);
        for (int i = 0; i < 5; i++) {
            log.put("k", "v" + i);
        }
        assertThat(sm.revision()).isEqualTo(5);
        assertThat(broken.failedCount()).isEqualTo(5);
        assertThat(broken.deliveredCount()).isZero();
        assertThat(events).hasSize(5);
        assertThat(sm.watches().failedCount()).isEqualTo(5);
        assertThat(sm.watches().deliveredCount()).isEqualTo(5);
    }

    @Test
    void returnedValuesAreCopiesThatCannotChangeTheStore() {
        log.put("k", "value");
        byte[] leaked = sm.get("k").orElseThrow().value();
        leaked[0] = 'X';
        assertThat(sm.get("k").orElseThrow().valueAsString()).isEqualTo("value");
    }

    @Test
    void malformedCommandsYieldAnErrorResultAndChangeNothing() {
        sm.watches().watch("**", events::add);
        log.put("keep", "1");
        byte[] valid = KvCodec.encodeTxn(Txn.builder().then(Op.put(b("k"), b("v")), Op.delete(b("keep"))).build());
        List<byte[]> bad = List.of(
                new byte[0],
                new byte[] {1},
                b("not a command at all"),
                Arrays.copyOf(valid, valid.length - 3),                 // truncated
                concat(valid, new byte[] {0}),                          // trailing garbage
                withByte(valid, 0, (byte) 9),                           // unknown version
                withByte(valid, 1, (byte) 7),                           // unknown kind
                KvCodec.encodeTxn(Txn.builder().then(Op.put(new byte[0], b("v"))).build()), // empty key
                withInt(valid, 2, Integer.MAX_VALUE));                  // absurd count

        for (byte[] command : bad) {
            byte[] result = log.raw(command);
            assertThatThrownBy(() -> KvCodec.decodeResult(result))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("rejected the command (nothing changed)")
                    .hasMessageContaining("malformed KV command at index " + log.index);
        }
        assertThat(sm.revision()).isEqualTo(1);
        assertThat(sm.get("k")).isEmpty();
        assertThat(sm.get("keep")).isPresent();
        assertThat(events).hasSize(1);
    }

    @Test
    void randomlyCorruptedCommandsNeverThrowAndReplicasStayIdentical() throws IOException {
        KvStateMachine twin = new KvStateMachine();
        KvTestSupport.DirectApply twinLog = new KvTestSupport.DirectApply(twin);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 600; i++) {
            byte[] command = KvCodec.encodeTxn(Txn.builder()
                    .when(Compare.version(b("k" + random.nextInt(5)), Compare.Operator.LESS, random.nextInt(4)))
                    .then(Op.put(b("k" + random.nextInt(5)), b("v" + i)), Op.delete(b("k" + random.nextInt(5))))
                    .orElse(Op.get(b("k0")))
                    .build());
            if (random.nextInt(3) == 0) {
                command[random.nextInt(command.length)] = (byte) random.nextInt(256);
            }
            byte[] mine = log.raw(command);
            byte[] theirs = twinLog.raw(command.clone());
            assertThat(mine).isEqualTo(theirs);
        }
        assertThat(snapshotBytes(sm)).isEqualTo(snapshotBytes(twin));
        assertThat(sm.revision()).isPositive();
        twin.close();
    }

    @Test
    void codecRoundTripsRequestsAndResponses() {
        Txn txn = Txn.builder()
                .when(Compare.value(b("a"), Compare.Operator.NOT_EQUAL, b("x")),
                        Compare.version(b("a"), Compare.Operator.LESS, 3),
                        Compare.modRevision(b("b"), Compare.Operator.GREATER, 7),
                        Compare.createRevision(b("c"), Compare.Operator.EQUAL, 0))
                .then(new Op.Put(b("a"), b("1"), true), new Op.Delete(b("b"), true), Op.get(b("c")))
                .orElse(Op.put(b("d"), new byte[0]))
                .build();
        byte[] bytes = KvCodec.encodeTxn(txn);
        assertThat(KvCodec.encodeTxn(KvCodec.decodeTxn(bytes))).isEqualTo(bytes);
        assertThat(bytes[0]).as("versioned").isEqualTo(KvCodec.VERSION);

        KeyValue kv = new KeyValue(b("a"), b("1"), 2, 5, 3);
        TxnResult result = new TxnResult(true, 9, List.of(new OpResult.Put(java.util.Optional.of(kv)),
                new OpResult.Delete(1, java.util.Optional.empty()), new OpResult.Get(java.util.Optional.of(kv))));
        assertThat(KvCodec.decodeResult(KvCodec.encodeResult(result))).isEqualTo(result);
    }

    private static byte[] snapshotBytes(KvStateMachine m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.snapshot(out);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] withByte(byte[] a, int at, byte value) {
        byte[] out = a.clone();
        out[at] = value;
        return out;
    }

    private static byte[] withInt(byte[] a, int at, int value) {
        byte[] out = a.clone();
        ByteBuffer.wrap(out).putInt(at, value);
        return out;
    }
}
