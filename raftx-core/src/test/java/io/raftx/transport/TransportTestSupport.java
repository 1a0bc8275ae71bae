package io.raftx.transport;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Message;
import io.raftx.transport.proto.RaftPeerGrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Shared helpers of the transport tests. Everything runs on 127.0.0.1 with ephemeral ports. */
final class TransportTestSupport {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TransportTestSupport() {
    }

    static TransportConfig.Builder config(String nodeId) {
        return TransportConfig.builder(nodeId, TOKEN)
                .bind("127.0.0.1", 0)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .voteTimeout(Duration.ofSeconds(5));
    }

    static Map<String, String> addresses(GrpcTransport... transports) {
        Map<String, String> m = new LinkedHashMap<>();
        for (GrpcTransport t : transports) {
            m.put(t.config().nodeId(), "127.0.0.1:" + t.port());
        }
        return m;
    }


    /** Polls {@code condition} until it holds; fails with {@code description} after {@link #TIMEOUT}. */
    static void await(String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + description);
            }
            sleep(10);
        }
    }

    /** Repeats {@code action} every 50 ms until {@code condition} holds (for "eventually flows again" checks). */
    static void repeatUntil(String description, Runnable action, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            action.run();
            long until = System.nanoTime() + 50_000_000L;
            while (System.nanoTime() < until) {
                if (condition.getAsBoolean()) {
                    return;
                }
                sleep(5);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + description);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<Entry> entries(long firstIndex, long term, int count, int dataBytes, long seed) {
        Random random = new Random(seed);
        List<Entry> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[dataBytes];
            random.nextBytes(data);
            list.add(new Entry(term, firstIndex + i, EntryType.NORMAL, data));
        }
        return list;
    }

    /** A raw client for the peer service, to play a misbehaving or foreign peer. {@code token} may be null. */
    static ManagedChannel rawChannel(int port, String token, String clusterId) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(ClusterAuthInterceptor.TOKEN_HEADER, token);
        }
        if (clusterId != null) {
            headers.put(ClusterAuthInterceptor.CLUSTER_ID_HEADER, clusterId);
        }
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
    }

    /**
     * A client that speaks as {@code claim} holds (it may be changed between calls) on one connection, which
     * answers its challenge as {@code proverId}. {@link #proof} is the proof it sent.
     */
    record ProvenChannel(ManagedChannel channel, java.util.concurrent.atomic.AtomicReference<String> claim,
                         byte[] proof, byte[] nonce) {
    }

    /** A raw client whose connection proved it is {@code nodeId} (with the test token and default cluster id). */
    static ProvenChannel provenChannel(int port, String nodeId) {
        java.util.concurrent.atomic.AtomicReference<String> claim =
                new java.util.concurrent.atomic.AtomicReference<>(nodeId);
        PeerProof proofs = new PeerProof(TOKEN, TransportConfig.DEFAULT_CLUSTER_ID);
        PeerProver prover = new PeerProver(nodeId, "test", proofs);
        ManagedChannel channel = claimingChannel(port, claim, null).intercept(prover).build();
        byte[] nonce = blocking(channel).challenge(io.raftx.transport.proto.ChallengeRequest.getDefaultInstance())
                .getNonce().toByteArray();
        prover.answer(nonce);
        return new ProvenChannel(channel, claim, proofs.compute(nodeId, nonce), nonce);
    }

    /** A raw client with the test token that claims to be {@code claim} and sends {@code proof} (null: none). */
    static NettyChannelBuilder claimingChannel(int port, java.util.concurrent.atomic.AtomicReference<String> claim,
                                               byte[] proof) {
        Metadata headers = new Metadata();
        headers.put(ClusterAuthInterceptor.TOKEN_HEADER, TOKEN);
        headers.put(ClusterAuthInterceptor.CLUSTER_ID_HEADER, TransportConfig.DEFAULT_CLUSTER_ID);
        if (proof != null) {
            headers.put(PeerProof.PROOF_HEADER, proof);
        }
        io.grpc.ClientInterceptor claiming = new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
                                                                io.grpc.CallOptions options, io.grpc.Channel next) {
                return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata h) {
                        h.put(ClusterAuthInterceptor.NODE_ID_HEADER,
                                claim.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        super.start(listener, h);
                    }
                };
            }
        };
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .intercept(claiming, MetadataUtils.newAttachHeadersInterceptor(headers))
                .maxInboundMessageSize(64 * 1024 * 1024);
    }

    static RaftPeerGrpc.RaftPeerBlockingStub blocking(ManagedChannel channel) {
        return RaftPeerGrpc.newBlockingStub(channel).withDeadlineAfter(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Collects delivered messages; thread-safe. */
    static final class Inbox implements MessageHandler {
        final List<Message> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(Message message) {
            messages.add(message);
        }

        boolean has(Predicate<Message> p) {
            return messages.stream().anyMatch(p);
        }

        long count(Predicate<Message> p) {
            return messages.stream().filter(p).count();
        }

        void awaitSize(int n) {
            await(n + " messages (have " + messages.size() + ")", () -> messages.size() >= n);
        }

        Supplier<String> describe() {
            return () -> messages.toString();
        }
    }
}
