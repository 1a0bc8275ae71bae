package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.storage.MemoryRaftStorage;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.MessageHandler;
import io.raftx.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower that forwarded a request, lost the leader's answer and retried must not call the request "not applied"
 * when a later attempt is refused: the first attempt may have been applied. Only an answer about every attempt is
 * definite.
 */
class ForwardRetryOutcomeTest {

    /** What the follower's transport does with its next forwarded request. */
    private enum Forward {
        /** The leader gets and applies the request, but its answer is lost on the way back. */
        DELIVER_AND_LOSE_ANSWER,
        /** The request never arrives; the answer is that it was not applied (as a superseded leader answers). */
        ANSWER_NOT_APPLIED,
        /** The leader cannot be reached. */
        UNREACHABLE
    }

    /** Wraps a follower's transport and plays a script of forwarding faults; delivers normally once it is done. */
    private static final class ScriptedForwarding implements Transport {
        private final Transport delegate;
        private final ConcurrentLinkedQueue<Forward> script;
        private final Forward thenAlways;
        private final AtomicInteger forwards = new AtomicInteger();

        ScriptedForwarding(Transport delegate, List<Forward> script, Forward thenAlways) {
            this.delegate = delegate;
            this.script = new ConcurrentLinkedQueue<>(script);
            this.thenAlways = thenAlways;
        }

        @Override
        public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
            forwards.incrementAndGet();
            Forward next = script.poll();
            if (next == null) {
                next = thenAlways;
            }
            if (next == null) {
                return delegate.forward(to, command, timeout);
            }
            return switch (next) {
                case DELIVER_AND_LOSE_ANSWER -> delegate.forward(to, command, timeout).handle((r, e) -> {
                    throw new CompletionException(new IllegalStateException("answer from " + to + " lost"));
                });
                case ANSWER_NOT_APPLIED -> CompletableFuture.completedFuture(ForwardResult.failed(
                        ForwardResult.Status.NOT_APPLIED, null, "superseded on " + to + " (scripted)"));
                case UNREACHABLE -> CompletableFuture.failedFuture(new IllegalStateException(to + " unreachable"));
            };
        }

        @Override
        public void start(MessageHandler handler, ForwardHandler forwardHandler) {
            delegate.start(handler, forwardHandler);
        }

        @Override
        public void send(io.raftx.raft.Message message) {
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
    private ScriptedForwarding scripted;

    @AfterEach
    void stop() {
        nodes.values().forEach(RaftNode::close);
        hub.executor.shutdownNow();
    }

    /** Starts the cluster and returns n2, whose forwarding follows the script, as a follower. */
    private RaftNode clusterWithScriptedFollower(List<Forward> script, Forward thenAlways) throws Exception {
        for (String id : ids) {
            Transport t = hub.join(id);
            if (id.equals("n2")) {
                scripted = new ScriptedForwarding(t, script, thenAlways);
                t = scripted;
            }
            RaftNodeTest.ListMachine m = new RaftNodeTest.ListMachine();
            machines.put(id, m);
            RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(Duration.ofMillis(10)), new MemoryRaftStorage(),
                    t, m);
            nodes.put(id, node);
            node.start();
        }
        String leader = await().atMost(Duration.ofSeconds(10)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).map(RaftNode::id).findFirst().orElse(null),
                id -> id != null);
        if (leader.equals("n2")) {
            nodes.get("n2").transferLeadership("n1").get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.get("n2").status().leaderId() != null
                && !nodes.get("n2").status().leaderId().equals("n2")
                && nodes.get("n2").status().role() == Role.FOLLOWER);
        return nodes.get("n2");
    }

    private List<String> appliedByLeader() {
        String leader = nodes.get("n2").status().leaderId();
        return new ArrayList<>(machines.get(leader).applied);
    }

    @Test
    void refusalOfARetryIsNotReportedAsNotAppliedWhenAnEarlierAttemptWasApplied() throws Exception {
        RaftNode follower = clusterWithScriptedFollower(
                List.of(Forward.DELIVER_AND_LOSE_ANSWER, Forward.ANSWER_NOT_APPLIED), null);
        CompletableFuture<Applied> f = follower.propose("x".getBytes(StandardCharsets.UTF_8));
        Throwable error = f.handle((a, e) -> e).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> appliedByLeader().contains("x"));
        assertThat(scripted.script).as("both scripted faults were met").isEmpty();
        if (error != null) {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            assertThat(cause).isInstanceOf(RaftException.class);
            assertThat(((RaftException) cause).definitelyNotApplied())
                    .as("'x' was applied, but the caller was told: %s", cause).isFalse();
        }
        assertThat(Collections.frequency(appliedByLeader(), "x")).as("applied once").isEqualTo(1);
    }

    @Test
    void closingWhileRetryingAForwardedRequestReportsAnUnknownOutcome() throws Exception {
        RaftNode follower = clusterWithScriptedFollower(List.of(Forward.DELIVER_AND_LOSE_ANSWER), Forward.UNREACHABLE);
        CompletableFuture<Applied> f = follower.propose("y".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> appliedByLeader().contains("y"));
        await().atMost(Duration.ofSeconds(10)).until(() -> scripted.forwards.get() >= 3);
        follower.close(); // the request now waits for a reachable leader, to be retried on the next tick
        Throwable error = f.handle((a, e) -> e).get(10, TimeUnit.SECONDS);
        assertThat(error).as("the request cannot have completed normally: every answer was lost").isNotNull();
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        assertThat(cause).isInstanceOf(RaftException.class);
        assertThat(((RaftException) cause).definitelyNotApplied())
                .as("'y' was applied, but the caller was told: %s", cause).isFalse();
    }
}
