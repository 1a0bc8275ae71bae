package io.raftx.transport;

import io.raftx.raft.Message;
import io.raftx.transport.TransportTestSupport.Inbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.await;
import static io.raftx.transport.TransportTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test fault injection {@link PartitionableTransport}: a partition in both directions, and healing. */
class PartitionableTransportTest {

    private static final ForwardHandler APPLY_EVERYTHING =
            (from, command) -> CompletableFuture.completedFuture(ForwardResult.applied(7, command));

    private final List<PartitionableTransport> transports = new ArrayList<>();

    @AfterEach
    void closeAll() {
        transports.forEach(PartitionableTransport::close);
    }

    private PartitionableTransport started(String id, Inbox inbox) {
        PartitionableTransport t = new PartitionableTransport(new GrpcTransport(config(id).build()));
        transports.add(t);
        t.start(inbox, APPLY_EVERYTHING);
        return t;
    }

    @Test
    void blockedPeerIsCutOffBothWaysAndOthersAreNot() throws Exception {
        Inbox ia = new Inbox(), ib = new Inbox(), ic = new Inbox();
        PartitionableTransport a = started("a", ia);
        PartitionableTransport b = started("b", ib);
        PartitionableTransport c = started("c", ic);
        var peers = addresses(a.delegate(), b.delegate(), c.delegate());
        transports.forEach(t -> t.updatePeers(peers));

        a.blockPeers(Set.of("b"));
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        b.send(Message.heartbeat("b", "a", 2, 0, 0, 0, false));
        a.send(Message.heartbeat("a", "c", 3, 0, 0, 0, false));
        // Both drops are counted by a: the outbound one at once, the inbound one when it arrives.
        await("a counts both blocked messages", () -> a.blockedDrops() == 2);
        ic.awaitSize(1);
        assertThat(ia.messages).isEmpty();
        assertThat(ib.messages).isEmpty();
        assertThatThrownBy(() -> a.forward("b", new byte[] {1}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("blocked");
        assertThatThrownBy(() -> b.forward("a", new byte[] {1}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("blocked");
        assertThatThrownBy(() -> a.forwardBatch("b", List.of(new byte[] {1}), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("blocked");
        // Refused requests inside a batch come back one by one as unanswered, as from an unreachable leader.
        assertThat(b.forwardBatch("a", List.of(new byte[] {1}), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .extracting(ForwardResult::status).containsExactly(ForwardResult.Status.UNKNOWN);
        assertThat(c.forward("a", new byte[] {1}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).status())
                .isEqualTo(ForwardResult.Status.APPLIED);

        a.blockPeers(Set.of());
        a.send(Message.heartbeat("a", "b", 4, 0, 0, 0, false));
        b.send(Message.heartbeat("b", "a", 5, 0, 0, 0, false));
        ib.awaitSize(1);
        ia.awaitSize(1);
        assertThat(ib.messages.get(0).term()).isEqualTo(4);
        assertThat(ia.messages.get(0).term()).isEqualTo(5);
        assertThat(b.forward("a", new byte[] {1}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).status())
                .isEqualTo(ForwardResult.Status.APPLIED);
        assertThat(a.blockedDrops()).isEqualTo(6); // 2 messages, 4 forwarded requests
    }
}
