package io.raftx.transport;

import io.raftx.raft.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.config;
import static io.raftx.transport.TransportTestSupport.entries;

/**
 * Micro measurement, not a test: APPEND messages per second (64 entries of 256 B each) over one replication stream
 * on loopback, sender and receiver in this JVM. Run with
 * {@code mvn -q -B -pl raftx-core test -Dtest=TransportThroughputBenchmark -Draftx.bench=true}.
 */
@EnabledIfSystemProperty(named = "raftx.bench", matches = "true")
class TransportThroughputBenchmark {

    @Test
    void appendsPerSecond() throws Exception {
        int seconds = Integer.getInteger("raftx.bench.seconds", 10);
        LongAdder received = new LongAdder();
        try (GrpcTransport a = new GrpcTransport(config("a").build());
             GrpcTransport b = new GrpcTransport(config("b").build())) {
            a.start(m -> { }, null);
            b.start(m -> received.increment(), null);
            a.updatePeers(addresses(a, b));
            b.updatePeers(addresses(a, b));
            Message append = Message.append("a", "b", 7, 1000, 7, entries(1001, 7, 64, 256, 1), 1000, 0, false);
            int wireBytes = MessageCodec.toEnvelope(append).getSerializedSize();

            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = new Thread(() -> {
                while (!stop.get()) {
                    if (a.queued("b") < 512) {
                        a.send(append);
                    } else {
                        LockSupport.parkNanos(20_000);
                    }
                }
            }, "bench-producer");
            producer.start();
            Thread.sleep(3_000); // warm-up
            long r0 = received.sum();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long r1 = received.sum();
            long t1 = System.nanoTime();
            stop.set(true);
            producer.join();

            double perSecond = (r1 - r0) / ((t1 - t0) / 1e9);
            System.out.printf("%nBENCH one stream, loopback: %.0f APPEND/s (64 x 256 B entries, %d B on the wire)"
                            + " = %.0f entries/s, %.1f MiB/s payload; drops: %s%n%n",
                    perSecond, wireBytes, perSecond * 64, perSecond * 64 * 256 / (1024 * 1024),
                    a.stats().dropped());
        }
    }
}
