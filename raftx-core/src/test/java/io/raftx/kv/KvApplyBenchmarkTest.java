package io.raftx.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.kv.watch.WatchOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * In-process cost of applying one put to the KV state machine (decode, execute, record history, publish to a hub
 * without watchers, encode the result), not asserted beyond the final revision. Runs only with
 * {@code -Draftx.kv.bench=true}:
 * <pre>
 * mvn -B -ntp -q -pl raftx-core test -Dtest=KvApplyBenchmarkTest -Draftx.kv.bench=true
 * </pre>
 * 1,000 keys, 256-byte values, commands encoded beforehand; five rounds of {@code raftx.kv.bench.ops} puts each
 * (default 1,000,000), the first ones warm-up. Prints wall time, this thread's CPU time (less disturbed by other
 * processes on a shared machine) and the bytes it allocated, each per put.
 */
@EnabledIfSystemProperty(named = "raftx.kv.bench", matches = "true")
class KvApplyBenchmarkTest {

    @Test
    void applyCostPerPut() {
        int ops = Integer.getInteger("raftx.kv.bench.ops", 1_000_000);
        byte[][] commands = new byte[1000][];
        byte[] value = new byte[256];
        for (int i = 0; i < commands.length; i++) {
            byte[] key = ("bench/key-" + i).getBytes(StandardCharsets.UTF_8);
            commands[i] = KvCodec.encodeTxn(Txn.builder().then(Op.put(key, value)).build());
        }
        try (KvStateMachine sm = new KvStateMachine(WatchOptions.defaults().withDeliveryExecutor(Runnable::run))) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long self = Thread.currentThread().getId();
            long index = 0;
            for (int round = 1; round <= 5; round++) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long allocatedStart = threads.getThreadAllocatedBytes(self);
                for (int i = 0; i < ops; i++) {
                    index++;
                    sm.apply(index, commands[i % commands.length]);
                }
                System.out.printf("in-process KV apply, round %d: %.0f ns wall, %.0f ns CPU, %.0f bytes allocated"
                                + " per put (%d puts)%n", round, (System.nanoTime() - start) / (double) ops,
                        (threads.getCurrentThreadCpuTime() - cpuStart) / (double) ops,
                        (threads.getThreadAllocatedBytes(self) - allocatedStart) / (double) ops, ops);
            }
            assertThat(sm.revision()).isEqualTo(index);
        }
    }
}
