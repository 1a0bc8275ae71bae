package io.raftx.volatilenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volatile keyspace on real nodes under failures: leader loss, lagging and restarted nodes, TTL expiry. */
class VolatileFaultTest {

    @TempDir
    Path dir;
    VolatileTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }

    static String text(Optional<VolatileValue> v) {
        return v.map(x -> new String(x.bytes(), StandardCharsets.UTF_8)).orElse(null);
    }

    static String localText(VolatileTestCluster c, String id, String key) throws Exception {
        return text(get(c.client(id).get(key, VolatileConsistency.LOCAL)));
    }

    @Test
    void acknowledgedWritesSurviveTheLeaderStoppingAbruptly() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        String leader = cluster.awaitVolatileLeader();
        String follower = cluster.aFollower();
        List<VolatileWriteResult> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // Half through the leader itself, half forwarded; the last one is acknowledged just before the stop.
            String via = i % 2 == 0 ? leader : follower;
            acked.add(get(cluster.client(via).put("acked." + i, "v" + i, null)));
        }
        cluster.stop(leader); // no handover: its volatile memory is simply gone
        String next = cluster.awaitVolatileLeader();
        assertThat(next).isNotEqualTo(leader);
        for (String id : cluster.running()) {
            for (int i = 0; i < 20; i++) {
                assertThat(text(get(cluster.client(id).get("acked." + i)))).isEqualTo("v" + i);
            }
        }
        // The new leader continues the same order: later writes get later indexes.
        VolatileWriteResult after = get(cluster.client(follower).put("after", "x", null));
        assertThat(after.index()).isGreaterThan(acked.get(acked.size() - 1).index());
        assertThat(after.epoch()).isGreaterThan(acked.get(0).epoch());
    }

    @Test
    void aNodeBackWithinTheRingIsReplayedAndOneBeyondItGetsASnapshot() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults().withRingCapacity(40));
        String leader = cluster.awaitVolatileLeader();
        String lagging = cluster.aFollower();
        VolatileClient client = cluster.client(leader);
        get(client.put("base", "0", null));
        await().until(() -> cluster.client(lagging).stats().appliedIndex() >= 1);

        // Cut only the volatile link of one follower (Raft keeps running); the other follower keeps the majority.
        isolate(lagging, true);
        for (int i = 0; i < 10; i++) {
            get(client.put("replay." + i, "v" + i, null));
        }
        VolatileStats before = cluster.client(lagging).stats();
        isolate(lagging, false);
        awaitCaughtUp(lagging);
        VolatileStats replayed = cluster.client(lagging).stats();
        assertThat(replayed.snapshotsInstalled()).isEqualTo(before.snapshotsInstalled());
        assertThat(replayed.opsApplied()).isGreaterThanOrEqualTo(before.opsApplied() + 10);
        assertThat(localText(cluster, lagging, "replay.9")).isEqualTo("v9");

        isolate(lagging, true);
        for (int i = 0; i < 100; i++) { // more than the ring of 40 holds
            get(client.put("far." + (i % 30), "v" + i, null));
        }
        isolate(lagging, false);
        awaitCaughtUp(lagging);
        VolatileStats resynced = cluster.client(lagging).stats();
        assertThat(resynced.snapshotsInstalled()).isGreaterThan(replayed.snapshotsInstalled());
        assertThat(localText(cluster, lagging, "far.29")).isEqualTo("v89");
        assertThat(localText(cluster, lagging, "far.0")).isEqualTo("v90");
    }

    @Test
    void ttlExpiryIsIdenticalOnAllReplicas() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        Map<String, List<WatchEvent>> events = new HashMap<>();
        for (String id : cluster.running()) {
            List<WatchEvent> list = new CopyOnWriteArrayList<>();
            events.put(id, list);
            cluster.client(id).watch("ttl.**", list::add);
        }
        VolatileClient c = cluster.client(cluster.aFollower());
        for (int i = 0; i < 12; i++) {
            get(c.put("ttl.short." + i, "v" + i, Duration.ofMillis(100 + 40 * i)));
        }
        get(c.put("ttl.long", "stays", Duration.ofMinutes(5)));
        get(c.put("ttl.none", "stays", null));
        get(c.addToSet("ttl.set", "short", Duration.ofMillis(200)));
        get(c.addToSet("ttl.set", "forever", null));
        // A key rewritten before its TTL ran out keeps living on its new TTL (the old expiry loses the race).
        get(c.put("ttl.rewritten", "old", Duration.ofMillis(150)));
        get(c.put("ttl.rewritten", "new", null));

        for (String id : cluster.running()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(cluster.client(id).get("ttl.short.11",
                    VolatileConsistency.LOCAL)).isEmpty() && !get(cluster.client(id).members("ttl.set",
                    VolatileConsistency.LOCAL)).contains("short"));
        }
        long leaderApplied = cluster.client(cluster.awaitVolatileLeader()).stats().appliedIndex();
        for (String id : cluster.running()) {
            await().until(() -> cluster.client(id).stats().appliedIndex() >= leaderApplied);
        }
        List<String> reference = null;
        for (String id : cluster.running()) {
            int expected = 18 + 13; // 18 writes; 12 keys and one set member expire
            await().until(() -> events.get(id).size() >= expected);
            Thread.sleep(100);
            assertThat(events.get(id)).hasSize(expected);
            List<String> described = events.get(id).stream().map(WatchEvent::toString).toList();
            SortedMap<String, ?> entries = get(cluster.client(id).localEntries());
            assertThat(entries.keySet()).as(id).containsExactly("ttl.long", "ttl.none", "ttl.rewritten", "ttl.set");
            if (reference == null) {
                reference = described;
            } else {
                assertThat(described).as("events on %s", id).isEqualTo(reference);
            }
        }
        long expiries = reference.stream().filter(e -> e.startsWith("DELETE")).count();
        assertThat(expiries).isEqualTo(12);
    }

    @Test
    void aRestartedNodeHoldsNoVolatileDataUntilItSyncs() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        String leader = cluster.awaitVolatileLeader();
        String restarted = cluster.aFollower();
        get(cluster.client(leader).put("before.restart", "v", null));
        await().until(() -> "v".equals(localText(cluster, restarted, "before.restart")));

        cluster.stop(restarted);
        for (String id : cluster.running()) {
            cluster.cutVolatileLink(id, Set.of(restarted)); // no leader can sync it for now
        }
        cluster.start(restarted);
        await().until(() -> cluster.server(restarted).node().status().leaderId() != null); // Raft is fine
        Thread.sleep(300);
        assertThat(cluster.client(restarted).stats().synced()).isFalse();
        assertThat(localText(cluster, restarted, "before.restart")).isNull();
        assertThat(cluster.client(restarted).stats().size()).isZero();

        for (String id : cluster.running()) {
            cluster.cutVolatileLink(id, Set.of());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client(restarted).stats().synced());
        assertThat(localText(cluster, restarted, "before.restart")).isEqualTo("v");
    }

    @Test
    void watchEventsFireOnEveryNode() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        Map<String, List<WatchEvent>> events = new HashMap<>();
        for (String id : cluster.running()) {
            List<WatchEvent> list = new CopyOnWriteArrayList<>();
            events.put(id, list);
            cluster.client(id).watch("cfg.*", list::add);
        }
        VolatileClient c = cluster.client(cluster.aFollower());
        get(c.put("cfg.a", "1", null));
        get(c.addToSet("cfg.b", "m", null));
        get(c.delete("cfg.a"));
        get(c.put("other.x", "ignored", null));
        for (String id : cluster.running()) {
            await().until(() -> events.get(id).size() == 3);
            assertThat(events.get(id)).allMatch(WatchEvent::volatileKey);
            assertThat(events.get(id).stream().map(e -> e.type() + " " + e.keyAsString() + "=" + e.valueAsString()))
                    .containsExactly("PUT cfg.a=1", "PUT cfg.b=m", "DELETE cfg.a=null");
            assertThat(events.get(id)).isEqualTo(events.get("n1"));
        }
    }

    private void isolate(String id, boolean cut) {
        for (String other : cluster.running()) {
            Set<String> peers = other.equals(id) ? Set.copyOf(cluster.running()) : Set.of(id);
            cluster.cutVolatileLink(other, cut ? peers : Set.of());
        }
    }

    private void awaitCaughtUp(String id) {
        String leader = cluster.awaitVolatileLeader();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client(id).stats().appliedIndex()
                >= cluster.client(leader).stats().appliedIndex());
    }
}
