package io.raftx.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.volatilenode.VolatileSettings;
import io.raftx.volatilenode.VolatileTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application-level leader election on real nodes: one leader, observers informed, resign and failover. */
class LeaderElectionTest {

    @TempDir
    Path dir;
    VolatileTestCluster cluster;
    final List<LeaderElection> elections = new ArrayList<>();

    @AfterEach
    void stop() {
        elections.forEach(LeaderElection::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Records every callback of one candidate or observer. */
    static final class Recorder implements LeaderElection.Listener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Long> tokens = new CopyOnWriteArrayList<>();
        volatile Optional<String> leader = Optional.empty();

        @Override
        public void elected(LockLease lease) {
            calls.add("elected");
            tokens.add(lease.fencingToken());
        }

        @Override
        public void revoked(String reason) {
            calls.add("revoked");
        }

        @Override
        public void leaderChanged(Optional<String> leader) {
            this.leader = leader;
            calls.add("leader=" + leader.orElse("none"));
        }
    }

    @Test
    void oneCandidateLeadsObserversFollowAndResignOrDeathHandsOver() throws Exception {
        cluster = VolatileTestCluster.started(dir, 3, VolatileSettings.defaults());
        LockOptions options = LockOptions.ofLease(Duration.ofMillis(1200));
        Map<String, Recorder> candidates = new LinkedHashMap<>();
        Map<String, LeaderElection> byName = new LinkedHashMap<>();
        for (String node : List.of("n1", "n2", "n3")) {
            Recorder r = new Recorder();
            String name = "app-on-" + node;
            candidates.put(name, r);
            LeaderElection e = new LeaderElection(cluster.client(node), "elections.app", name, options, r).campaign();
            byName.put(name, e);
            elections.add(e);
        }
        Recorder observer = new Recorder();
        elections.add(new LeaderElection(cluster.client("n1"), "elections.app", "observer", options, observer).observe());

        String first = awaitSingleLeader(byName);
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.leader.equals(Optional.of(first))
                && candidates.values().stream().allMatch(r -> r.leader.equals(Optional.of(first))));
        assertThat(candidates.get(first).calls).contains("elected");
        assertThat(byName.get(first).currentLeader().get(10, TimeUnit.SECONDS)).contains(first);

        // Resigning hands over at once (the lock is released, not left to expire).
        long resignedAt = System.nanoTime();
        byName.get(first).resign().get(10, TimeUnit.SECONDS);
        List<String> calls = candidates.get(first).calls;
        assertThat(calls.lastIndexOf("revoked")).isGreaterThan(calls.indexOf("elected"));
        String second = awaitSingleLeader(byName);
        assertThat(second).isNotEqualTo(first);
        assertThat(Duration.ofNanos(System.nanoTime() - resignedAt)).isLessThan(options.lease());
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.leader.equals(Optional.of(second)));

        // The leader's node dies: a remaining candidate takes over after about one lease.
        String secondNode = second.substring("app-on-".length());
        cluster.stop(secondNode);
        String third = awaitSingleLeader(byName);
        assertThat(third).isNotIn(first, second); // the first one resigned and does not campaign any more
        await().atMost(Duration.ofSeconds(5)).until(() -> candidates.get(third).leader.equals(Optional.of(third)));

        List<Long> tokens = new ArrayList<>();
        for (String name : List.of(first, second, third)) {
            tokens.add(candidates.get(name).tokens.get(candidates.get(name).tokens.size() - 1));
        }
        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    /** Waits until exactly one live candidate believes it leads, and returns it. */
    private String awaitSingleLeader(Map<String, LeaderElection> byName) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<String> leading = byName.entrySet().stream()
                    .filter(e -> cluster.running().contains(e.getKey().substring("app-on-".length())))
                    .filter(e -> e.getValue().isLeader()).map(Map.Entry::getKey).toList();
            return leading.size() == 1 ? leading.get(0) : null;
        }, name -> name != null);
    }
}
