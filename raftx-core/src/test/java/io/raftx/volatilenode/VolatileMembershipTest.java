package io.raftx.volatilenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes over gRPC: the volatile keyspace follows Raft membership changes. Every acknowledged volatile write
 * survives adding a member, removing the leader and then stopping an original member, and the new member holds the
 * keyspace.
 */
class VolatileMembershipTest {

    @TempDir
    Path dir;

    private VolatileTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void acknowledgedWritesSurviveAddingAMemberAndReplacingTheLeader() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        List<String> acked = new ArrayList<>();
        write(cluster.awaitVolatileLeader(), "before", 10, acked);

        cluster.join("n4");
        String leader = cluster.awaitVolatileLeader();
        cluster.server(leader).node().addMember("n4", cluster.addresses().get("n4")).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.client("n4").stats().synced());
        assertThat(cluster.server("n4").volatiles().extension().toString()).contains("n4");
        write(cluster.awaitVolatileLeader(), "four", 10, acked);

        // Remove the leader (it hands over first); the remaining three must hold everything.
        String oldLeader = cluster.awaitVolatileLeader();
        cluster.server(oldLeader).node().removeMember(oldLeader).get(30, TimeUnit.SECONDS);
        cluster.stop(oldLeader);
        String newLeader = cluster.awaitVolatileLeader();
        assertThat(newLeader).isNotEqualTo(oldLeader);
        write(newLeader, "after", 10, acked);

        // With three voters left, one more original member may stop: a majority still holds every write.
        String other = cluster.running().stream().filter(id -> !id.equals(newLeader) && !id.equals("n4")).findFirst()
                .orElseThrow();
        cluster.stop(other);
        String survivor = cluster.awaitVolatileLeader();
        for (String key : acked) {
            Optional<VolatileValue> v = cluster.client(survivor).get(key, VolatileConsistency.STRONG)
                    .get(10, TimeUnit.SECONDS);
            assertThat(v).as(key).isPresent();
            assertThat(new String(v.get().bytes(), StandardCharsets.UTF_8)).isEqualTo(key);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                cluster.client("n4").localEntries().get(5, TimeUnit.SECONDS).keySet()).containsAll(Set.copyOf(acked)));
    }

    private void write(String at, String prefix, int count, List<String> acked) throws Exception {
        for (int i = 0; i < count; i++) {
            String key = prefix + "." + i;
            cluster.client(at).put(key, key, null).get(10, TimeUnit.SECONDS);
            acked.add(key);
        }
    }
}
