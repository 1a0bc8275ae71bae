package io.raftx.volatilenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.InvalidRequestException;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client API on a running three-node cluster: forwarding, conditions, sets, reads, watches, bad input. */
class VolatileClientTest {

    @TempDir
    static Path dir;
    static VolatileTestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static String text(Optional<VolatileValue> v) {
        return v.map(x -> new String(x.bytes(), StandardCharsets.UTF_8)).orElse(null);
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesOnAFollowerAreForwardedAndReadEverywhere() throws Exception {
        VolatileClient follower = cluster.client(cluster.aFollower());
        VolatileWriteResult w = get(follower.put("svc.a", "1", null));
        assertThat(w.applied()).isTrue();
        for (String id : cluster.running()) {
            assertThat(text(get(cluster.client(id).get("svc.a")))).isEqualTo("1");
            await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(text(get(cluster.client(id)
                    .get("svc.a", VolatileConsistency.LOCAL)))));
        }
        assertThat(get(follower.get("svc.a")).orElseThrow().version()).isEqualTo(w.index());
    }

    @Test
    void conditionalWritesReportWhetherTheyApplied() throws Exception {
        VolatileClient leader = cluster.client(cluster.awaitVolatileLeader());
        VolatileClient follower = cluster.client(cluster.aFollower());
        VolatileWriteResult first = get(follower.putIfAbsent("cas.k", "a", null));
        VolatileWriteResult second = get(leader.putIfAbsent("cas.k", "b", null));
        assertThat(first.applied()).isTrue();
        assertThat(second.applied()).isFalse();
        assertThat(second.index()).isGreaterThan(first.index());
        assertThat(get(follower.putIfVersion("cas.k", "c".getBytes(StandardCharsets.UTF_8), null, second.index()))
                .applied()).isFalse();
        VolatileWriteResult swapped = get(follower.putIfVersion("cas.k", "c".getBytes(StandardCharsets.UTF_8), null,
                first.index()));
        assertThat(swapped.applied()).isTrue();
        assertThat(get(leader.deleteIfVersion("cas.k", first.index())).applied()).isFalse();
        assertThat(get(leader.deleteIfVersion("cas.k", swapped.index())).applied()).isTrue();
        assertThat(get(follower.get("cas.k"))).isEmpty();
    }

    @Test
    void setsHoldMembersWithTheirOwnTtl() throws Exception {
        VolatileClient c = cluster.client(cluster.aFollower());
        get(c.addToSet("group.workers", "w1", null));
        get(c.addToSet("group.workers", "w2", Duration.ofMillis(300)));
        assertThat(get(c.members("group.workers"))).containsExactly("w1", "w2");
        await().atMost(Duration.ofSeconds(5)).until(() -> get(c.members("group.workers")).equals(Set.of("w1")));
        get(c.removeFromSet("group.workers", "w1"));
        assertThat(get(c.get("group.workers"))).isEmpty();
    }

    @Test
    void watchEventsCarryTheVolatileFlagAndTheOpIndex() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        VolatileClient c = cluster.client(cluster.aFollower());
        var watch = c.watch("watched.**", seen::add);
        VolatileWriteResult put = get(c.put("watched.x.y", "v", null));
        VolatileWriteResult del = get(c.delete("watched.x.y"));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        watch.cancel();
        assertThat(seen).allMatch(WatchEvent::volatileKey);
        assertThat(seen.get(0).type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(seen.get(0).revision()).isEqualTo(put.index());
        assertThat(seen.get(1).type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(seen.get(1).previousValueAsString()).isEqualTo("v");
        assertThat(seen.get(1).revision()).isEqualTo(del.index());
    }

    @Test
    void invalidInputIsRejectedBeforeProposing() {
        VolatileClient c = cluster.client("n1");
        assertThatThrownBy(() -> get(c.put("", "v", null))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> get(c.put("k", "v", Duration.ofSeconds(-1)))).hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> get(c.put("k", new byte[2 << 20], null))).hasMessageContaining("maxValueBytes");
        assertThatThrownBy(() -> get(c.putIfVersion("k", new byte[1], null, 0))).hasMessageContaining("expectedVersion");
        assertThatThrownBy(() -> get(c.get("", VolatileConsistency.STRONG))).hasCauseInstanceOf(InvalidRequestException.class);
    }
}
