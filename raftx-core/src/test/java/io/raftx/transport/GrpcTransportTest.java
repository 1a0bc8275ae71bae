package io.raftx.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.transport.TransportTestSupport.Inbox;
import io.raftx.transport.proto.ExtensionMessage;
import io.raftx.transport.proto.PeerBatch;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftMessage;
import io.raftx.transport.proto.RaftPeerGrpc;
import io.raftx.transport.proto.ReplicateSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.raftx.transport.TransportTestSupport.TIMEOUT;
import static io.raftx.transport.TransportTestSupport.TOKEN;
import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.await;
import static io.raftx.transport.TransportTestSupport.blocking;
import static io.raftx.transport.TransportTestSupport.config;
import static io.raftx.transport.TransportTestSupport.entries;
import static io.raftx.node.GrpcPorts.free;
import static io.raftx.transport.TransportTestSupport.provenChannel;
import static io.raftx.transport.TransportTestSupport.rawChannel;
import static io.raftx.transport.TransportTestSupport.repeatUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcTransportTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private GrpcTransport started(TransportConfig config, Inbox inbox) {
        GrpcTransport t = new GrpcTransport(config);
        toClose.add(t);
        t.start(inbox, null);
        return t;
    }

    private ManagedChannel raw(int port, String token, String clusterId) {
        ManagedChannel c = rawChannel(port, token, clusterId);
        toClose.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return c;
    }

    /** A raw client whose connection proved it is {@code nodeId}. */
    private ManagedChannel proven(int port, String nodeId) {
        ManagedChannel c = provenChannel(port, nodeId).channel();
        toClose.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return c;
    }

    private static List<Message> everyType(String from, String to, long seed) {
        List<Entry> entries = new ArrayList<>(entries(11, 3, 5, 100, seed));
        entries.add(Entry.noop(4, 16));
        entries.add(new Entry(4, 17, EntryType.NORMAL, new byte[0]));
        return List.of(
                Message.append(from, to, 4, 10, 3, entries, 9, 2, false),
                Message.append(from, to, 4, 17, 4, List.of(), 17, Message.NO_RANK, false),
                Message.appendAccepted(from, to, 4, 17),
                Message.appendRejected(from, to, 4, 12, 2, 8),
                Message.heartbeat(from, to, 4, 17, 1, 0, false),
                Message.heartbeatResponse(from, to, 4, 0),
                Message.voteRequest(MessageType.PRE_VOTE, from, to, 5, 17, 4, 0, 0),
                Message.voteResponse(MessageType.PRE_VOTE_RESPONSE, from, to, 5, false),
                Message.voteRequest(MessageType.VOTE, from, to, 5, 17, 4, Message.NO_RANK, 0),
                Message.voteResponse(MessageType.VOTE_RESPONSE, from, to, 5, true));
    }

    @Test
    void threeNodesExchangeEveryMessageType() {
        Inbox ia = new Inbox(), ib = new Inbox(), ic = new Inbox();
        GrpcTransport a = started(config("a").build(), ia);
        GrpcTransport b = started(config("b").build(), ib);
        GrpcTransport c = started(config("c").build(), ic);
        Map<String, String> peers = addresses(a, b, c);
        a.updatePeers(peers);
        b.updatePeers(peers);
        c.updatePeers(peers);

        Map<String, GrpcTransport> nodes = Map.of("a", a, "b", b, "c", c);
        Map<String, Inbox> inboxes = Map.of("a", ia, "b", ib, "c", ic);
        Map<String, List<Message>> expected = Map.of("a", new ArrayList<>(), "b", new ArrayList<>(),
                "c", new ArrayList<>());
        long seed = 1;
        for (String from : nodes.keySet()) {
            for (String to : nodes.keySet()) {
                if (!from.equals(to)) {
                    for (Message m : everyType(from, to, seed++)) {
                        nodes.get(from).send(m);
                        expected.get(to).add(m);
                    }
                }
            }
        }
        for (String id : nodes.keySet()) {
            inboxes.get(id).awaitSize(expected.get(id).size());
        }
        for (String id : nodes.keySet()) {
            assertThat(inboxes.get(id).messages).as("delivered to %s", id)
                    .containsExactlyInAnyOrderElementsOf(expected.get(id));
        }
        assertThat(a.stats().droppedTotal() + b.stats().droppedTotal() + c.stats().droppedTotal()).isZero();
        assertThat(b.stats().received()).isEqualTo(expected.get("b").size());
        assertThat(a.stats().sent()).isEqualTo(20);
    }

    @Test
    void replicationMessagesFromOnePeerArriveInOrder() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        int n = 500;
        for (int i = 1; i <= n; i++) {
            a.send(i % 2 == 0 ? Message.heartbeat("a", "b", i, i, 0, 0, false)
                    : Message.append("a", "b", i, i, i, entries(i + 1, i, 2, 64, i), i, 0, false));
        }
        ib.awaitSize(n);
        assertThat(ib.messages).extracting(Message::term)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
    }

    @Test
    void reconnectsAfterThePeerRestarts() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        int bPort = b.port();
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        ib.awaitSize(1);

        b.close();
        for (int i = 0; i < 5; i++) {
            a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false)); // lost or queued; Raft tolerates either
        }
        await("a notices that the stream to b broke", () -> a.stats().streamFailures() >= 1);

        Inbox ib2 = new Inbox();
        GrpcTransport b2 = started(config("b").bind("127.0.0.1", bPort).build(), ib2);
        b2.updatePeers(Map.of("a", "127.0.0.1:" + a.port(), "b", "127.0.0.1:" + bPort));
        repeatUntil("a's heartbeats reach the restarted b", () -> a.send(Message.heartbeat("a", "b", 3, 0, 0, 0, false)),
                () -> ib2.has(m -> m.term() == 3));
        // and votes work again too
        a.send(Message.voteRequest(MessageType.VOTE, "a", "b", 4, 0, 0, 0, 0));
        await("vote after restart", () -> ib2.has(m -> m.type() == MessageType.VOTE));
    }

    @Test
    void aPeerWhoseProcessStoppedIsReportedUnreachableAndDownAndALivePeerIsNot() {
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> down = new java.util.concurrent.CopyOnWriteArrayList<>();
        GrpcTransport a = new GrpcTransport(config("a").build());
        toClose.add(a);
        a.onPeerUnreachable(reported::add);
        a.onPeerDown(down::add);
        a.start(new Inbox(), null);
        Inbox ib = new Inbox();
        Inbox ic = new Inbox();
        GrpcTransport b = started(config("b").build(), ib);
        GrpcTransport c = started(config("c").build(), ic);
        Map<String, String> peers = addresses(a, b, c);
        a.updatePeers(peers);
        b.updatePeers(peers);
        c.updatePeers(peers);
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        a.send(Message.heartbeat("a", "c", 1, 0, 0, 0, false));
        ib.awaitSize(1);
        ic.awaitSize(1);
        assertThat(reported).isEmpty();

        b.close(); // its sockets close, as a killed process's do
        await("a is told that b is unreachable", () -> reported.contains("b"));
        await("a's probe of b's address is refused: b is down", () -> down.contains("b"));
        a.send(Message.heartbeat("a", "c", 2, 0, 0, 0, false));
        ic.awaitSize(2);
        assertThat(reported).as("only the peer whose connection broke").containsOnly("b");

        a.probe("c"); // asked to check a live peer: it listens, so nothing is reported
        a.probe("b");
        await("b is reported down again", () -> down.size() >= 2);
        assertThat(down).as("only the peer nothing listens for").containsOnly("b");
    }

    @Test
    void oversizedMessageIsRejectedByTheReceiverAndTheStreamRecovers() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").maxMessageBytes(64 * 1024).build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        ib.awaitSize(1);

        // a allows 16 MiB, b only 64 KiB: b's gRPC server refuses the message and ends the stream.
        a.send(Message.append("a", "b", 2, 0, 0, entries(1, 2, 1, 200_000, 7), 0, 0, false));
        await("a's stream to b fails", () -> a.stats().streamFailures() >= 1);
        repeatUntil("normal messages flow again", () -> a.send(Message.heartbeat("a", "b", 3, 0, 0, 0, false)),
                () -> ib.has(m -> m.term() == 3));
        assertThat(ib.has(m -> m.type() == MessageType.APPEND)).isFalse();

        // The error the sender gets names the problem.
        ManagedChannel ch = proven(b.port(), "a");
        PeerEnvelope big = MessageCodec.toEnvelope(Message.append("a", "b", 2, 0, 0,
                entries(1, 2, 1, 200_000, 7), 0, 0, false));
        assertThatThrownBy(() -> blocking(ch).vote(big))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("exceeds maximum size 65536");
                });
        a.send(Message.heartbeat("a", "b", 4, 0, 0, 0, false));
        await("b still serves a", () -> ib.has(m -> m.term() == 4));
    }

    @Test
    void oversizedMessageIsDroppedAtTheSenderWithAReason() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").maxMessageBytes(64 * 1024).build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.append("a", "b", 1, 0, 0, entries(1, 1, 1, 100_000, 3), 0, 0, false));
        a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false));
        ib.awaitSize(1);
        assertThat(ib.messages).singleElement().extracting(Message::type).isEqualTo(MessageType.HEARTBEAT);
        assertThat(a.stats().dropped(DropReason.OVERSIZED)).isEqualTo(1);
        assertThat(a.stats().streamFailures()).isZero();
    }

    @Test
    void garbageOnThePortDoesNotHurtTheServer() throws Exception {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        ib.awaitSize(1);

        Random random = new Random(42);
        byte[] noise = new byte[256 * 1024];
        random.nextBytes(noise);
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] badFrames = new byte[4096];
        random.nextBytes(badFrames);
        List<byte[]> payloads = List.of(noise,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                concat(preface, badFrames),
                new byte[]{0, 0, 0, 0, 0});
        for (byte[] payload : payloads) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", b.port()), 5_000);
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                try {
                    out.write(payload);
                    out.flush();
                    InputStream in = s.getInputStream();
                    in.read(new byte[1024]); // whatever the server answers (or EOF when it hangs up)
                } catch (IOException expected) {
                    // the server may reset the connection mid-write
                }
            }
        }
        Socket idle = new Socket("127.0.0.1", b.port()); // a connection that never says anything
        toClose.add(idle);

        a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false));
        await("b still receives from a", () -> ib.has(m -> m.term() == 2));
        GrpcTransport c = started(config("c").build(), new Inbox());
        c.updatePeers(addresses(b, c));
        b.updatePeers(addresses(a, b, c));
        c.send(Message.voteRequest(MessageType.VOTE, "c", "b", 3, 0, 0, 0, 0));
        await("b accepts new connections", () -> ib.has(m -> m.from().equals("c")));
    }

    @Test
    void wrongClusterTokenIsRejectedAndOtherPeersAreUnaffected() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        GrpcTransport c = started(TransportConfig.builder("c", "not-the-cluster-token-xyz").bind("127.0.0.1", 0)
                .build(), new Inbox());
        Map<String, String> peers = addresses(a, b, c);
        a.updatePeers(peers);
        b.updatePeers(peers);
        c.updatePeers(peers);

        c.send(Message.heartbeat("c", "b", 1, 0, 0, 0, false));
        c.send(Message.voteRequest(MessageType.VOTE, "c", "b", 1, 0, 0, 0, 0));
        await("b refuses c's calls", () -> b.stats().inboundRejected() >= 2);
        await("c sees its stream fail", () -> c.stats().streamFailures() >= 1);
        await("c counts the failed vote", () -> c.stats().dropped(DropReason.SEND_FAILED) >= 1);

        a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false));
        a.send(Message.voteRequest(MessageType.VOTE, "a", "b", 2, 0, 0, 0, 0));
        ib.awaitSize(2);
        assertThat(ib.messages).allMatch(m -> m.from().equals("a"));

        ManagedChannel wrong = raw(b.port(), "wrong-token-0123456789", TransportConfig.DEFAULT_CLUSTER_ID);
        PeerEnvelope vote = MessageCodec.toEnvelope(Message.voteRequest(MessageType.VOTE, "a", "b", 3, 0, 0, 0, 0));
        assertStatus(() -> blocking(wrong).vote(vote), Status.Code.UNAUTHENTICATED, "invalid cluster token");
        ManagedChannel missing = raw(b.port(), null, TransportConfig.DEFAULT_CLUSTER_ID);
        assertStatus(() -> blocking(missing).vote(vote), Status.Code.UNAUTHENTICATED,
                "missing cluster token: peer calls must carry the 'raftx-cluster-token' metadata");
        ManagedChannel otherCluster = raw(b.port(), TOKEN, "other-cluster");
        assertStatus(() -> blocking(otherCluster).vote(vote), Status.Code.PERMISSION_DENIED,
                "cluster id mismatch: node 'b' belongs to cluster 'raftx', the caller sent 'other-cluster'");
        // The stream RPC is checked as well.
        assertThat(replicate(wrong, vote).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(ib.messages).noneMatch(m -> m.term() == 3);
    }

    @Test
    void unknownSenderAndWrongRecipientAreRejected() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        GrpcTransport d = started(config("d").build(), new Inbox()); // has the token but is not a member of b's view
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        d.updatePeers(addresses(b, d));

        d.send(Message.heartbeat("d", "b", 1, 0, 0, 0, false));
        await("b rejects d", () -> b.stats().inboundRejected() >= 1);
        await("d's stream fails", () -> d.stats().streamFailures() >= 1);

        // Mallory has the token and proves its own id, but is not a member.
        ManagedChannel mallory = proven(b.port(), "mallory");
        PeerEnvelope fromMallory = MessageCodec.toEnvelope(Message.voteRequest(MessageType.VOTE, "mallory", "b",
                1, 0, 0, 0, 0));
        assertStatus(() -> blocking(mallory).vote(fromMallory), Status.Code.PERMISSION_DENIED,
                "sender 'mallory' is not a member of the cluster as known to node 'b'");
        Status streamStatus = replicate(mallory, MessageCodec.toEnvelope(Message.heartbeat("mallory", "b", 1, 0, 0,
                0, false)));
        assertThat(streamStatus.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(streamStatus.getDescription()).contains("'mallory' is not a member");

        ManagedChannel ch = proven(b.port(), "a");
        PeerEnvelope toC = MessageCodec.toEnvelope(Message.voteRequest(MessageType.VOTE, "a", "c", 1, 0, 0, 0, 0));
        assertStatus(() -> blocking(ch).vote(toC), Status.Code.INVALID_ARGUMENT,
                "VOTE addressed to 'c' was delivered to node 'b'");
        PeerEnvelope fromSelf = MessageCodec.toEnvelope(Message.voteRequest(MessageType.VOTE, "b", "b", 1, 0, 0, 0, 0));
        assertStatus(() -> blocking(proven(b.port(), "b")).vote(fromSelf), Status.Code.PERMISSION_DENIED,
                "sender 'b' is not a member");

        PeerEnvelope garbage = PeerEnvelope.newBuilder().setRaft(RaftMessage.newBuilder().setTypeValue(42)
                .setFrom("a").setTo("b")).build();
        assertStatus(() -> blocking(ch).vote(garbage), Status.Code.INVALID_ARGUMENT,
                "invalid message: unknown message type 42");
        assertStatus(() -> blocking(ch).vote(PeerEnvelope.getDefaultInstance()), Status.Code.INVALID_ARGUMENT,
                "envelope carries no Raft message");
        PeerEnvelope negative = PeerEnvelope.newBuilder().setRaft(MessageCodec.toProto(
                Message.heartbeat("a", "b", 1, 0, 0, 0, false)).toBuilder().setTerm(-5)).build();
        assertStatus(() -> blocking(ch).vote(negative), Status.Code.INVALID_ARGUMENT, "negative term -5");

        // A stream that switches identity mid-way is cut.
        Status switched = replicate(ch, MessageCodec.toEnvelope(Message.heartbeat("a", "b", 7, 0, 0, 0, false)),
                MessageCodec.toEnvelope(Message.heartbeat("d", "b", 7, 0, 0, 0, false)));
        assertThat(switched.getCode()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED);
        // Extension messages on the stream obey the same rules: a member, and the stream's own sender.
        Status extensionFromMallory = replicate(mallory, PeerEnvelope.newBuilder().setExtension(ExtensionMessage
                .newBuilder().setChannel("volatile").setFrom("mallory").setTo("b")).build());
        assertThat(extensionFromMallory.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(extensionFromMallory.getDescription()).contains("sender 'mallory' is not a member");
        Status extensionSwitched = replicate(ch, MessageCodec.toEnvelope(Message.heartbeat("a", "b", 7, 0, 0, 0, false)),
                PeerEnvelope.newBuilder().setExtension(ExtensionMessage.newBuilder().setChannel("volatile").setFrom("d")
                        .setTo("b")).build());
        assertThat(extensionSwitched.getCode()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED);

        // b keeps working for its real peers.
        a.send(Message.heartbeat("a", "b", 9, 0, 0, 0, false));
        await("a still reaches b", () -> ib.has(m -> m.term() == 9));
        assertThat(ib.messages).allMatch(m -> m.from().equals("a"));
    }

    @Test
    void queuedBytesAreBoundedAndDropsNameTheByteLimit() {
        // 100 KiB of queued data per peer; each append carries 4 entries of 10,000 bytes (40,096 counted bytes).
        GrpcTransport a = started(config("a").maxMessageBytes(64 * 1024).maxQueuedBytes(100 * 1024).build(),
                new Inbox());
        a.updatePeers(Map.of("a", "127.0.0.1:" + a.port(), "b", "127.0.0.1:" + free())); // nobody listens
        for (int i = 0; i < 10; i++) {
            a.send(Message.append("a", "b", 1, i * 4L, 1, entries(i * 4L + 1, 1, 4, 10_000, i), 0, 0, false));
        }
        assertThat(a.queued("b")).as("two appends fit 100 KiB, a third would not").isEqualTo(2);
        assertThat(a.queuedBytes("b")).isEqualTo(2 * (64 + 4 * (10_000 + 24)));
        assertThat(a.stats().dropped(DropReason.QUEUE_BYTES_FULL)).isEqualTo(8);
        assertThat(a.stats().dropped(DropReason.QUEUE_FULL)).isZero();
        // Small messages still fit beside them, up to the byte bound.
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        assertThat(a.queued("b")).isEqualTo(3);
        assertThat(a.stats().dropped(DropReason.QUEUE_BYTES_FULL)).isEqualTo(8);
    }

    @Test
    void queuedBytesAreReleasedWhenTheQueueDrains() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").maxMessageBytes(64 * 1024).maxQueuedBytes(100 * 1024).build(),
                new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        // 30 appends of 40 KB, far more than the byte bound in all, sent in groups of two so the queue drains between.
        for (int i = 0; i < 15; i++) {
            a.send(Message.append("a", "b", 1, i * 8L, 1, entries(i * 8L + 1, 1, 4, 10_000, i), 0, 0, false));
            a.send(Message.append("a", "b", 1, i * 8L + 4, 1, entries(i * 8L + 5, 1, 4, 10_000, i), 0, 0, false));
            await("the queue to b drains", () -> a.queued("b") == 0);
        }
        ib.awaitSize(30);
        assertThat(a.queuedBytes("b")).isZero();
        assertThat(a.stats().dropped(DropReason.QUEUE_BYTES_FULL)).isZero();
    }

    @Test
    void fullQueueDropsInsteadOfBlocking() {
        GrpcTransport a = started(config("a").maxQueuedMessages(8).build(), new Inbox());
        a.updatePeers(Map.of("a", "127.0.0.1:" + a.port(), "b", "127.0.0.1:" + free())); // nobody listens
        for (int i = 0; i < 1000; i++) {
            a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        }
        assertThat(a.queued("b")).isEqualTo(8);
        assertThat(a.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(992);
        assertThat(a.stats().sent()).isZero();
    }

    @Test
    void undeliverableMessagesAreCountedByReason() {
        GrpcTransport a = new GrpcTransport(config("a").build());
        toClose.add(a);
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        assertThat(a.stats().dropped(DropReason.NOT_RUNNING)).isEqualTo(1);

        Inbox ib = new Inbox();
        a.start(new Inbox(), null);
        GrpcTransport b = started(config("b").build(), ib);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.heartbeat("a", "zed", 1, 0, 0, 0, false));
        a.send(Message.heartbeat("a", "a", 1, 0, 0, 0, false));
        assertThat(a.stats().dropped(DropReason.UNKNOWN_PEER)).isEqualTo(2);
        a.send(Message.heartbeat("b", "b", 1, 0, 0, 0, false));
        a.send(new Message(MessageType.HEARTBEAT, "a", "b", -1, 0, 0, List.of(), 0, false, 0, 0, 0, 0, false));
        a.send(Message.append("a", "b", 1, 5, 1, List.of(Entry.noop(1, 9)), 0, 0, false)); // gap: 9 is not 6
        a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false));
        ib.awaitSize(1);
        assertThat(ib.messages).singleElement().extracting(Message::term).isEqualTo(2L);
        await("invalid ones counted", () -> a.stats().dropped(DropReason.INVALID) == 3);

        assertThatThrownBy(() -> a.start(new Inbox(), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        a.updatePeers(Map.of("a", "127.0.0.1:" + a.port()));
        a.send(Message.heartbeat("a", "b", 3, 0, 0, 0, false));
        assertThat(a.stats().dropped(DropReason.UNKNOWN_PEER)).isEqualTo(3);

        a.close();
        a.close();
        a.send(Message.heartbeat("a", "b", 4, 0, 0, 0, false));
        assertThat(a.stats().dropped(DropReason.NOT_RUNNING)).isEqualTo(2);
        assertThatThrownBy(() -> a.start(new Inbox(), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void removedMemberIsNoLongerAccepted() {
        Inbox ib = new Inbox();
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport b = started(config("b").build(), ib);
        GrpcTransport c = started(config("c").build(), new Inbox());
        Map<String, String> peers = addresses(a, b, c);
        a.updatePeers(peers);
        b.updatePeers(peers);
        c.updatePeers(peers);
        c.send(Message.heartbeat("c", "b", 1, 0, 0, 0, false));
        await("c reaches b", () -> ib.has(m -> m.from().equals("c")));

        b.updatePeers(addresses(a, b));
        c.send(Message.heartbeat("c", "b", 2, 0, 0, 0, false));
        await("b rejects c", () -> b.stats().inboundRejected() >= 1);
        a.send(Message.heartbeat("a", "b", 2, 0, 0, 0, false));
        await("a still reaches b", () -> ib.has(m -> m.from().equals("a")));
        assertThat(ib.has(m -> m.from().equals("c") && m.term() == 2)).isFalse();
    }

    @Test
    void bindFailureIsReportedClearly() {
        GrpcTransport a = started(config("a").build(), new Inbox());
        GrpcTransport clash = new GrpcTransport(config("x").bind("127.0.0.1", a.port()).build());
        toClose.add(clash);
        assertThatThrownBy(() -> clash.start(new Inbox(), null)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("node x cannot listen on 127.0.0.1:" + a.port());
    }

    @Test
    void malformedPeerAddressesAreRejected() {
        GrpcTransport a = new GrpcTransport(config("a").build());
        toClose.add(a);
        assertThatThrownBy(() -> a.updatePeers(Map.of("b", "nohost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> a.updatePeers(Map.of("b", "h:99999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 1..65535");
        assertThatThrownBy(() -> a.updatePeers(Map.of("b", "::1:7000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brackets");
        a.updatePeers(Map.of("b", "[::1]:7000", "c", "localhost:7001"));
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }

    /** Sends envelopes on a raw Replicate stream and returns how the server ended it. */
    private static Status replicate(ManagedChannel channel, PeerEnvelope... envelopes) {
        CompletableFuture<Status> result = new CompletableFuture<>();
        StreamObserver<PeerBatch> requests = RaftPeerGrpc.newStub(channel)
                .replicate(new StreamObserver<ReplicateSummary>() {
                    @Override
                    public void onNext(ReplicateSummary value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(Status.OK);
                    }
                });
        for (PeerEnvelope e : envelopes) {
            requests.onNext(PeerBatch.newBuilder().addEnvelopes(e).build());
        }
        try {
            return result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not end", e);
        } finally {
            requests.onCompleted();
        }
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] r = new byte[x.length + y.length];
        System.arraycopy(x, 0, r, 0, x.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    @Test
    void voteToAPeerThatIsDownFailsFastInsteadOfWaitingForItsDeadline() {
        // Vote deadline 5 s (TransportTestSupport.config); nothing listens at the peer's address.
        GrpcTransport a = started(config("a").build(), new Inbox());
        a.updatePeers(Map.of("a", "127.0.0.1:" + a.port(), "b", "127.0.0.1:" + io.raftx.node.GrpcPorts.free()));
        long started = System.nanoTime();
        a.send(Message.voteRequest(MessageType.PRE_VOTE, "a", "b", 2, 0, 0, 0, 0));
        await("the pre-vote to b is dropped", () -> a.stats().dropped(DropReason.SEND_FAILED) == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed before the 5 s vote deadline")
                .isLessThan(Duration.ofMillis(4_000));
    }
}
