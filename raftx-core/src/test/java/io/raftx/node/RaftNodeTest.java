package io.raftx.node;

import io.raftx.storage.MemoryRaftStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.statemachine.StateMachine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RaftNodeTest {

    /** Appends every command to a list and returns the list's size. */
    static final class ListMachine implements StateMachine {
        final List<String> applied = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public byte[] apply(long index, byte[] command) {
            applied.add(new String(command, StandardCharsets.UTF_8));
            return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final LocalTransport.Hub hub = new LocalTransport.Hub();
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, ListMachine> machines = new LinkedHashMap<>();
    private final Map<String, MemoryRaftStorage> storages = new LinkedHashMap<>();
    private final List<String> ids = List.of("n1", "n2", "n3");

    @AfterEach
    void stop() {
        nodes.values().forEach(RaftNode::close);
        hub.executor.shutdownNow();
    }

    /** Whether the nodes serve lease reads (off by default, as in production). */
    private boolean leaseReads;

    private void startAll() {
        ids.forEach(this::start);
    }

    private void start(String id) {
        machines.put(id, new ListMachine());
        storages.putIfAbsent(id, new MemoryRaftStorage());
        RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(Duration.ofMillis(10))
                .withRaft(io.raftx.raft.RaftConfig.of(id, ids).withLeaseReads(leaseReads)), storages.get(id),
                hub.join(id), machines.get(id));
        nodes.put(id, node);
        node.start();
    }

    private String awaitLeader() {
        return await().atMost(Duration.ofSeconds(10)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).map(RaftNode::id).findFirst().orElse(null),
                id -> id != null);
    }

    @Test
    void proposalsOnAnyNodeAreAppliedEverywhereOnce() throws Exception {
        startAll();
        awaitLeader();
        List<CompletableFuture<Applied>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            RaftNode via = nodes.get(ids.get(i % 3)); // followers forward to the leader
            futures.add(via.propose(("c" + i).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> machines.values().stream().allMatch(m -> m.applied.size() == 300));
        for (ListMachine m : machines.values()) {
            assertThat(m.applied).doesNotHaveDuplicates().hasSize(300);
            assertThat(m.applied).isEqualTo(machines.get("n1").applied);
        }
    }

    @Test
    void survivesLeaderLossAndRestartRecoversLog() throws Exception {
        startAll();
        String leader = awaitLeader();
        nodes.get(leader).propose("before".getBytes(StandardCharsets.UTF_8)).get();
        nodes.remove(leader).close();
        String survivor = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        Applied a = nodes.get(survivor).propose("after".getBytes(StandardCharsets.UTF_8)).get();
        assertThat(a.index()).isGreaterThan(1);
        start(leader);
        await().atMost(Duration.ofSeconds(10)).until(() -> machines.get(leader).applied.contains("after"));
        assertThat(machines.get(leader).applied).containsSubsequence("before", "after");
    }

    @Test
    void linearizableReadOnFollowerSeesCompletedWrite() throws Exception {
        startAll();
        String leader = awaitLeader();
        nodes.get(leader).propose("w".getBytes(StandardCharsets.UTF_8)).get();
        String follower = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        List<String> seen = nodes.get(follower).read(ReadConsistency.LINEARIZABLE,
                () -> List.copyOf(machines.get(follower).applied)).get();
        assertThat(seen).contains("w");
    }

    /** With lease reads on the leader answers from its lease; without, a LEASE read is a ReadIndex read. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void leaseReadsOnLeaderAndFollowerSeeCompletedWrites(boolean leases) throws Exception {
        leaseReads = leases;
        startAll();
        String leader = awaitLeader();
        nodes.get(leader).propose("x".getBytes(StandardCharsets.UTF_8)).get();
        for (String id : ids) {
            List<String> seen = nodes.get(id).read(ReadConsistency.LEASE, () -> List.copyOf(machines.get(id).applied)).get();
            assertThat(seen).as("lease read on %s", id).contains("x");
        }
    }

    @Test
    void transferLeadershipUnderLoadMovesTheLeaderAndLosesNoAcknowledgedWrite() throws Exception {
        startAll();
        String leader = awaitLeader();
        String target = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        List<CompletableFuture<Applied>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(nodes.get(ids.get(i % 3)).propose(("t" + i).getBytes(StandardCharsets.UTF_8)));
            if (i == 50) {
                nodes.get(leader).transferLeadership(target).get();
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
        assertThat(nodes.get(target).status().role()).isEqualTo(Role.LEADER);
        await().atMost(Duration.ofSeconds(10)).until(() -> machines.values().stream().allMatch(m -> m.applied.size() == 200));
        machines.values().forEach(m -> assertThat(m.applied).doesNotHaveDuplicates());
    }

    @Test
    void closedNodeRefusesRequestsClearly() {
        startAll();
        RaftNode n = nodes.get("n1");
        n.close();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> n.propose(new byte[1])))
                .isInstanceOf(ShutdownException.class).hasMessageContaining("not running");
    }
}
