package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.MemoryRaftStorage;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real nodes over gRPC: a follower whose event loop stalls (as in a long fsync) stops reading the leader's stream
 * once the bytes waiting for its loop pass the bound, instead of piling them up on the heap; the majority keeps
 * committing, and the follower catches up with every entry once its loop runs again.
 */
class InboundBoundNodeTest {

    private static final String TOKEN = "backpressure-token-0123456789";
    private static final long LIMIT = 256 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int WRITES = 600; // 2.4 MB, nine times the bound
    private static final int WRITE_BYTES = 4096;
    private static final int IN_FLIGHT = 32;

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, GrpcTransport> transports = new LinkedHashMap<>();
    private final Map<String, List<Long>> applied = new LinkedHashMap<>();
    private final Map<String, LoopStall> stalls = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        stalls.values().forEach(LoopStall::release);
        nodes.values().forEach(RaftNode::close);
    }

    @Test
    void aStalledFollowerHoldsAtMostTheBoundPlusABatchAndCatchesUpWithEveryEntry() throws Exception {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            addresses.put(id, "127.0.0.1:" + GrpcPorts.free());
        }
        addresses.keySet().forEach(id -> start(id, addresses));
        String leader = await().atMost(Duration.ofSeconds(20)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).map(RaftNode::id).findFirst().orElse(null),
                id -> id != null);
        String follower = addresses.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        GrpcTransport followerTransport = transports.get(follower);
        // One write everywhere first: the leader then streams to the follower instead of probing it one append at a
        // time (a probed follower that never answers would receive one message and never fill its bound).
        nodes.get(leader).propose(command(-1)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> applied.values().stream().allMatch(l -> l.size() == 1));

        stalls.get(follower).hold();
        await().atMost(Duration.ofSeconds(5)).until(() -> stalls.get(follower).holding());
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long peak = 0;
        for (int i = 0; i < WRITES; i++) { // the other follower and the leader make the majority
            assertThat(inFlight.tryAcquire(30, TimeUnit.SECONDS)).as("write " + i + " admitted").isTrue();
            writes.add(nodes.get(leader).propose(command(i)).whenComplete((r, e) -> inFlight.release()));
            peak = Math.max(peak, followerTransport.stats().inboundBytes());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        peak = Math.max(peak, followerTransport.stats().inboundBytes());
        assertThat(followerTransport.stats().inboundPauses()).as("the stalled follower stopped reading").isPositive();
        assertThat(peak).as("bytes waiting for the stalled loop").isLessThanOrEqualTo(LIMIT + MAX_MESSAGE);
        assertThat(applied.get(follower)).as("its loop is held").containsExactly(-1L);

        stalls.get(follower).release();
        await().atMost(Duration.ofSeconds(60)).until(() -> applied.get(follower).size() >= WRITES + 1L);
        assertThat(applied.get(follower)).isEqualTo(applied.get(leader));
        await().atMost(Duration.ofSeconds(10)).until(() -> followerTransport.stats().inboundBytes() == 0);
    }

    private void start(String id, Map<String, String> addresses) {
        int port = Integer.parseInt(addresses.get(id).substring(addresses.get(id).lastIndexOf(':') + 1));
        GrpcTransport transport = new GrpcTransport(TransportConfig.builder(id, TOKEN).bind("127.0.0.1", port)
                .maxMessageBytes(MAX_MESSAGE).maxInboundBytes(LIMIT).build());
        transport.updatePeers(addresses);
        List<Long> log = new CopyOnWriteArrayList<>();
        StateMachine machine = (index, command) -> {
            log.add(ByteBuffer.wrap(command).getLong()); // which write, in applied order
            return new byte[0];
        };
        NodeConfig config = NodeConfig.of(id, List.copyOf(addresses.keySet())).withTick(Duration.ofMillis(50))
                .withPeerAddresses(addresses);
        // Appends of at most 32 KiB of entries, so that every one fits a message of MAX_MESSAGE bytes.
        config = config.withRaft(config.raft().withReplication(256, 1024, 32 * 1024, 100_000));
        RaftNode node = new RaftNode(config, new MemoryRaftStorage(), transport, machine);
        LoopStall stall = new LoopStall();
        node.addExtension(stall);
        nodes.put(id, node);
        transports.put(id, transport);
        applied.put(id, log);
        stalls.put(id, stall);
        node.start();
    }

    private static byte[] command(long i) {
        return ByteBuffer.allocate(WRITE_BYTES).putLong(i).array();
    }

    /** Test-only fault: holds its node's loop thread on its next tick until released. */
    private static final class LoopStall implements LoopExtension {
        private volatile CountDownLatch gate;
        private volatile boolean holding;

        void hold() {
            gate = new CountDownLatch(1);
        }

        boolean holding() {
            return holding;
        }

        void release() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        @Override
        public String channel() {
            return "test.loop-stall";
        }

        @Override
        public void onStart(Context context) {
        }

        @Override
        public void onTick() {
            CountDownLatch g = gate;
            if (g == null) {
                return;
            }
            holding = true;
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding = false;
            }
        }

        @Override
        public void onStatus(NodeStatus status) {
        }

        @Override
        public void onMessage(String from, byte[] payload) {
        }

        @Override
        public void onStop() {
        }
    }
}
