package io.raftx.transport;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the transport's paths for a peer that dies, once per process, on two throwaway transports over loopback: one
 * streams messages, votes and forwards a request to the other through a relay ({@link DyingRelay}), which then dies
 * as a killed process's sockets do (reset, then refused); the survivor's stream breaks, its reconnect is refused,
 * its probe reports the peer down, and votes and forwards to the dead peer fail.
 *
 * <p>Why: in seven- and nine-node failover runs the followers of the first leader killed after the warm-up noticed
 * its closed connections 140-520 ms after the kill, against mostly 5-100 ms at later kills (by then they had been
 * through one): in the second after the first kill each follower loaded 24-65 classes (gRPC's and Netty's for a
 * broken connection and a reconnect, lambdas of the error handling), CPU-starved, while the cluster waited for a
 * majority to notice. With this warm-up: 9-29, noticed after 33-164 ms.
 *
 * <p>The two transports share nothing with the node's: their own ids, a random cluster token, ephemeral loopback
 * ports, and logs at debug level only. Best effort: a step that does not complete in time is skipped.
 */
public final class TransportWarmUp {

    private static final String A = "warm-up-a";
    private static final String B = "warm-up-b";
    private static final long STEP_TIMEOUT_MS = 5_000;

    private TransportWarmUp() {
    }

    /** Returns true if the surviving transport saw the peer go down (the whole failure path ran). */
    public static boolean run() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        CountDownLatch streamed = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(3);
        CountDownLatch unreachable = new CountDownLatch(1);
        CountDownLatch down = new CountDownLatch(1);
        GrpcTransport a = new GrpcTransport(config(A, token), true);
        GrpcTransport b = new GrpcTransport(config(B, token), true);
        DyingRelay toA = null;
        try {
            a.start(m -> {
                streamed.countDown();
                arrived.countDown();
            }, (from, command) -> {
                arrived.countDown();
                return CompletableFuture.completedFuture(ForwardResult.applied(1, command));
            });
            b.onPeerUnreachable(peer -> unreachable.countDown());
            b.onPeerDown(peer -> down.countDown());
            b.start(m -> { }, null);
            toA = new DyingRelay(a.port());
            a.updatePeers(Map.of(A, "127.0.0.1:" + a.port(), B, "127.0.0.1:" + b.port()));
            b.updatePeers(Map.of(A, "127.0.0.1:" + toA.port(), B, "127.0.0.1:" + b.port()));

            b.send(Message.append(B, A, 1, 0, 0, List.of(new Entry(1, 1, EntryType.NORMAL, new byte[16])), 0, 0,
                    true));
            await(streamed); // the connection proved its node id: the calls below do not race its challenge
            b.send(Message.voteRequest(MessageType.PRE_VOTE, B, A, 2, 1, 1, 0, 0));
            await(b.forwardBatch(A, List.of(new byte[16]), Duration.ofMillis(STEP_TIMEOUT_MS)));
            await(arrived);

            toA.close(); // the peer dies: its connections are reset and its port refuses new ones
            for (int i = 0; i < 50 && down.getCount() > 0; i++) {
                b.send(Message.heartbeat(B, A, 1, 1, 0, 0, true)); // a write on the dead connection breaks it
                b.send(Message.voteRequest(MessageType.PRE_VOTE, B, A, 2, 1, 1, 0, 0));
                await(b.forwardBatch(A, List.of(new byte[16]), Duration.ofMillis(100)));
                down.await(100, TimeUnit.MILLISECONDS);
            }
            return unreachable.getCount() == 0 && down.getCount() == 0;
        } catch (IOException e) {
            return false; // no loopback socket: nothing to warm up with
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (toA != null) {
                toA.close();
            }
            b.close();
            a.close();
        }
    }

    private static TransportConfig config(String id, String token) {
        return TransportConfig.builder(id, token).bind("127.0.0.1", 0)
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    private static void await(CompletableFuture<?> call) throws InterruptedException {
        try {
            call.get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a failed call is one of the paths being run
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        latch.await(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
}
