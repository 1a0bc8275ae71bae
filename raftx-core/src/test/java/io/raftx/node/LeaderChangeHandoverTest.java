package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Message;
import io.raftx.raft.Role;
import io.raftx.storage.MemoryRaftStorage;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.MessageHandler;
import io.raftx.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No time lost after an election: requests waiting on an old leader move to the new one as soon as a node learns of
 * it, instead of waiting out their deadline. The request timeout here is a minute, so a request that waited for it
 * would fail the time bounds below (which are generous for a loaded machine).
 */
class LeaderChangeHandoverTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Far below the request timeout; far above an election plus a forward on a busy 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Forwards to {@link #stalled} never get an answer, as from a leader that is paused or cut off. */
    private static final class StallingForwards implements Transport {
        private final Transport delegate;
        volatile String stalled;
        final AtomicInteger stalledCalls = new AtomicInteger();

        StallingForwards(Transport delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
            if (to.equals(stalled)) {
                stalledCalls.incrementAndGet();
                return new CompletableFuture<>(); // never answered
            }
            return delegate.forward(to, command, timeout);
        }

        @Override
        public void start(MessageHandler handler, ForwardHandler forwardHandler) {
            delegate.start(handler, forwardHandler);
        }

        @Override
        public void send(Message message) {
            delegate.send(message);
        }

        @Override
        public void updatePeers(Map<String, String> idToAddress) {
            delegate.updatePeers(idToAddress);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final LocalTransport.Hub hub = new LocalTransport.Hub();
    private final List<String> ids = List.of("n1", "n2", "n3");
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, RaftNodeTest.ListMachine> machines = new LinkedHashMap<>();
    private final Map<String, StallingForwards> transports = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        nodes.values().forEach(RaftNode::close);
        hub.executor.shutdownNow();
    }

    private String startCluster() {
        for (String id : ids) {
            StallingForwards t = new StallingForwards(hub.join(id));
            transports.put(id, t);
            RaftNodeTest.ListMachine m = new RaftNodeTest.ListMachine();
            machines.put(id, m);
            RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(Duration.ofMillis(20))
                    .withRequestTimeout(REQUEST_TIMEOUT), new MemoryRaftStorage(), t, m);
            nodes.put(id, node);
            node.start();
        }
        return awaitLeader(null);
    }

    /** A leader that every node not isolated agrees on, other than {@code not}. */
    private String awaitLeader(String not) {
        return await().atMost(BOUND).until(() -> nodes.values().stream()
                .filter(n -> !hub.isolated.contains(n.id()) && n.status().role() == Role.LEADER
                        && !n.id().equals(not))
                .map(RaftNode::id)
                .filter(l -> nodes.values().stream().filter(n -> !hub.isolated.contains(n.id()))
                        .allMatch(n -> l.equals(n.status().leaderId())))
                .findFirst().orElse(null), l -> l != null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void forwardedRequestMovesToTheNewLeaderWhenTheOldOneStopsAnswering() throws Exception {
        String leader = startCluster();
        String follower = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        transports.get(follower).stalled = leader;

        long started = System.nanoTime();
        CompletableFuture<Applied> f = nodes.get(follower).propose(bytes("x"));
        await().atMost(BOUND).until(() -> transports.get(follower).stalledCalls.get() > 0);
        hub.isolated.add(leader); // the old leader is gone; the other two elect a new one

        Applied applied = f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("answered long before the %s request timeout", REQUEST_TIMEOUT).isLessThan(BOUND);
        String newLeader = awaitLeader(leader);
        assertThat(newLeader).isNotEqualTo(leader);
        await().atMost(BOUND).until(() -> machines.get(newLeader).applied.contains("x"));
        assertThat(Collections.frequency(machines.get(newLeader).applied, "x")).as("applied once").isEqualTo(1);
        assertThat(applied.index()).isPositive();
    }

    @Test
    void leaderThatStepsDownRedirectsItsWaitingRequestsToTheNewLeader() throws Exception {
        String leader = startCluster();
        hub.isolated.add(leader); // it keeps believing it leads for a while; its proposals cannot commit
        CompletableFuture<Applied> f = nodes.get(leader).propose(bytes("y"));
        String newLeader = awaitLeader(leader);
        long healed = System.nanoTime();
        hub.isolated.remove(leader); // it hears the new leader, steps down and hands the request over

        Applied applied = f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - healed)).isLessThan(BOUND);
        await().atMost(BOUND).until(() -> machines.get(newLeader).applied.contains("y"));
        assertThat(Collections.frequency(machines.get(newLeader).applied, "y")).as("applied once").isEqualTo(1);
        assertThat(applied.index()).isPositive();
    }
}
