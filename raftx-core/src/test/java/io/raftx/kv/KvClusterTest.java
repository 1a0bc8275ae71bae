package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.node.LocalNetwork;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM, each with its own KV state machine: one replicated store, the same events everywhere. */
class KvClusterTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");

    private final LocalNetwork network = new LocalNetwork();
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, KvStateMachine> machines = new LinkedHashMap<>();
    private final Map<String, KvClient> clients = new LinkedHashMap<>();
    private final Map<String, List<WatchEvent>> seen = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        for (String id : IDS) {
            KvStateMachine sm = new KvStateMachine();
            RaftNode node = new RaftNode(KvTestSupport.fastConfig(id, IDS), LocalNetwork.memoryStorage(),
                    network.transport(id), sm);
            machines.put(id, sm);
            nodes.put(id, node);
            clients.put(id, new KvClient(node, sm));
            List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
            seen.put(id, events);
            clients.get(id).watch("**", events::add); // before start: every event of this node's applies
            node.start();
        }
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(RaftNode::close);
        machines.values().forEach(KvStateMachine::close);
        network.close();
    }

    private String awaitLeader() {
        return await().atMost(Duration.ofSeconds(10)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).map(RaftNode::id).findFirst().orElse(null),
                id -> id != null);
    }

    private String aFollower(String leader) {
        return IDS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    @Test
    void writesThroughAnyNodeProduceTheSameEventsInTheSameOrderEverywhere() {
        awaitLeader();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            KvClient via = clients.get(IDS.get(i % 3)); // followers forward to the leader
            writes.add(via.put("app.k" + (i % 7), "v" + i));
        }
        writes.forEach(KvTestSupport::join);
        join(clients.get("n2").delete("app.k0"));
        join(clients.get("n3").txn(Txn.builder()
                .when(Compare.present(KvTestSupport.b("app.k1")))
                .then(Op.put(KvTestSupport.b("app.t1"), KvTestSupport.b("x")),
                        Op.put(KvTestSupport.b("app.t2"), KvTestSupport.b("y")))
                .build()));
        assertThat(join(clients.get("n1").compareAndSet("app.t1", "x", "z")).succeeded()).isTrue();
        int expected = 60 + 1 + 2 + 1;

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.values().stream().allMatch(l -> l.size() == expected));
        List<WatchEvent> reference = List.copyOf(seen.get("n1"));
        assertThat(reference).extracting(WatchEvent::revision).isSorted();
        assertThat(reference.get(expected - 1).revision()).isEqualTo(63);
        assertThat(reference.get(expected - 2).revision()).as("the txn's events share a revision").isEqualTo(62);
        assertThat(reference.get(expected - 3).revision()).isEqualTo(62);
        for (String id : IDS) {
            assertThat(seen.get(id)).as("events on " + id).containsExactlyElementsOf(reference);
            assertThat(machines.get(id).revision()).isEqualTo(63);
        }
    }

    @Test
    void linearizableGetOnAFollowerSeesACompletedPut() {
        String leader = awaitLeader();
        String follower = aFollower(leader);
        for (int i = 0; i < 20; i++) {
            join(clients.get(leader).put("lin", "v" + i));
            assertThat(join(clients.get(follower).getString("lin", ReadConsistency.LINEARIZABLE))).contains("v" + i);
        }
        // And a write through one follower is visible to a linearizable read on another node.
        String other = IDS.stream().filter(id -> !id.equals(leader) && !id.equals(follower)).findFirst().orElseThrow();
        PutResult put = join(clients.get(follower).put("via.follower", "yes"));
        KeyValue kv = join(clients.get(other).get("via.follower", ReadConsistency.LINEARIZABLE)).orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("yes");
        assertThat(kv.modRevision()).isEqualTo(put.revision());
    }

    @Test
    void conditionalWritesFromDifferentNodesAgreeOnOneWinner() {
        awaitLeader();
        List<CompletableFuture<ConditionalResult>> attempts = new ArrayList<>();
        for (String id : IDS) {
            for (int i = 0; i < 5; i++) {
                attempts.add(clients.get(id).putIfAbsent("leader.lock", id + "-" + i));
            }
        }
        long winners = attempts.stream().map(KvTestSupport::join).filter(ConditionalResult::succeeded).count();
        assertThat(winners).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> machines.values().stream()
                .allMatch(m -> m.revision() == 1));
    }
}
