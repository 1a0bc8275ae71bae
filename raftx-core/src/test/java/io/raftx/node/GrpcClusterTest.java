package io.raftx.node;

import io.raftx.storage.MemoryRaftStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 3- and 5-node clusters over real gRPC on loopback: elect, replicate, forward from followers, survive leader loss. */
class GrpcClusterTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void electsReplicatesForwardsAndSurvivesLeaderLoss(int size) throws Exception {
        Map<String, MemoryRaftStorage> disks = new ConcurrentHashMap<>();
        try (GrpcTestCluster c = new GrpcTestCluster(size, id -> disks.computeIfAbsent(id, k -> new MemoryRaftStorage()),
                RaftNodeTest.ListMachine::new)) {
            c.startAll();
            String leader = c.awaitLeader();
            List<CompletableFuture<Applied>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                writes.add(c.nodes.get(c.ids.get(i % size)).propose(utf8("a" + i)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();

            c.stop(leader);
            String next = c.awaitLeader();
            assertThat(next).isNotEqualTo(leader);
            for (int i = 0; i < 50; i++) {
                c.nodes.get(c.ids.stream().filter(c.nodes::containsKey).toList().get(i % (size - 1)))
                        .propose(utf8("b" + i)).get();
            }
            c.start(leader);
            await().atMost(Duration.ofSeconds(20)).until(() -> c.machines.values().stream()
                    .allMatch(m -> ((RaftNodeTest.ListMachine) m).applied.size() == 250));
            List<String> reference = ((RaftNodeTest.ListMachine) c.machines.get(next)).applied;
            for (var m : c.machines.values()) {
                assertThat(((RaftNodeTest.ListMachine) m).applied).isEqualTo(reference).doesNotHaveDuplicates();
            }
        }
    }
}
