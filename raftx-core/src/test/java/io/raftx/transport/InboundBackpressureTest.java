package io.raftx.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.transport.TransportTestSupport.Inbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.await;
import static io.raftx.transport.TransportTestSupport.blocking;
import static io.raftx.transport.TransportTestSupport.config;
import static io.raftx.transport.TransportTestSupport.entries;
import static io.raftx.transport.TransportTestSupport.provenChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbound byte bound: a receiver whose loop is held stops reading its peer's replication stream instead of
 * queueing without end, loses nothing, and reads on once the loop runs again.
 */
class InboundBackpressureTest {

    private static final long LIMIT = 256 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int APPENDS = 300;
    private static final int ENTRY_BYTES = 10_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService loop = Executors.newSingleThreadExecutor();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        loop.shutdownNow();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aHeldLoopPausesTheStreamWithinTheBoundAndEveryMessageArrivesInOrderAfterwards() throws Exception {
        List<Message> processed = new CopyOnWriteArrayList<>();
        AtomicInteger handedOver = new AtomicInteger();
        GrpcTransport b = new GrpcTransport(config("b").maxInboundBytes(LIMIT).build());
        toClose.add(b);
        b.processInboundOn(loop);
        b.start(m -> {
            handedOver.incrementAndGet();
            loop.execute(() -> processed.add(m)); // like the node: queue for the loop and return
        }, null);
        GrpcTransport a = new GrpcTransport(config("a").maxMessageBytes(MAX_MESSAGE).maxQueuedMessages(4 * APPENDS)
                .build());
        toClose.add(a);
        a.start(new Inbox(), null);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));

        CountDownLatch held = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(held)); // a stalled loop (a long fsync, say)
        for (int i = 0; i < APPENDS; i++) { // ~3 MB in all, 12 times the bound
            a.send(Message.append("a", "b", 1, i, 1, entries(i + 1, 1, 1, ENTRY_BYTES, i), 0, 0, false));
        }
        await("b's stream pauses", () -> b.stats().inboundPauses() > 0);
        long peak = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < until) { // a keeps trying to send while b's loop stays held
            peak = Math.max(peak, b.stats().inboundBytes());
            Thread.sleep(5);
        }
        assertThat(peak).as("bytes waiting for b's loop: the bound plus at most one batch")
                .isGreaterThan(LIMIT).isLessThanOrEqualTo(LIMIT + MAX_MESSAGE);
        assertThat(processed).isEmpty();
        assertThat(handedOver.get()).as("b stopped reading: the rest waits at a and in HTTP/2 buffers")
                .isLessThan(APPENDS);

        // Over the bound a unary call cannot be paused: it is refused, naming the limit and how to raise it.
        ManagedChannel channel = provenChannel(b.port(), "a").channel();
        toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        assertThatThrownBy(() -> blocking(channel).vote(MessageCodec.toEnvelope(
                Message.voteRequest(MessageType.PRE_VOTE, "a", "b", 2, APPENDS, 1, 0, 0))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("maxInboundBytes (" + LIMIT + ")",
                            "raftx.transport.max-inbound-size");
                });
        assertThat(b.stats().inboundRefusedFull()).isEqualTo(1);

        held.countDown();
        await("every append processed by b's loop (have " + processed.size() + ")",
                () -> processed.size() == APPENDS);
        for (int i = 0; i < APPENDS; i++) {
            Message m = processed.get(i);
            assertThat(m.index()).as("message " + i + " in order").isEqualTo(i);
            assertThat(m.entries()).isEqualTo(entries(i + 1, 1, 1, ENTRY_BYTES, i));
        }
        assertThat(a.stats().droppedTotal()).isZero();
        await("b's backlog is gone", () -> b.stats().inboundBytes() == 0);
        assertThat(a.queued("b")).isZero();
    }

    @Test
    void withoutALoopNothingIsHeldBack() {
        Inbox inbox = new Inbox();
        GrpcTransport b = new GrpcTransport(config("b").maxInboundBytes(1).build());
        toClose.add(b);
        b.start(inbox, null);
        GrpcTransport a = new GrpcTransport(config("a").build());
        toClose.add(a);
        a.start(new Inbox(), null);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        for (int i = 0; i < 20; i++) {
            a.send(Message.append("a", "b", 1, i, 1, entries(i + 1, 1, 1, ENTRY_BYTES, i), 0, 0, false));
        }
        inbox.awaitSize(20);
        assertThat(b.stats().inboundBytes()).isZero();
        assertThat(b.stats().inboundPauses()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
