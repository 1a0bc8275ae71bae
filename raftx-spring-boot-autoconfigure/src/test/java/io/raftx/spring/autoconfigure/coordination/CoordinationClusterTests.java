package io.raftx.spring.autoconfigure.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.spring.RaftxTestSupport;
import io.raftx.spring.core.RaftxLock;
import io.raftx.spring.core.RaftxLockOperations;
import io.raftx.spring.event.RaftxElectionGrantedEvent;
import io.raftx.spring.integration.RaftxLeaderInitiator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.OnGrantedEvent;

/**
 * Three Spring applications, one cluster: mutual exclusion of a lock checked through its fencing tokens, and the
 * leader initiator granting exactly one instance, then another when it stops. The contention runs for
 * {@code -Draftx.test.lockContentionSeconds} (3 by default; the minute with 60).
 */
class CoordinationClusterTests {

    @TempDir
    Path dir;

    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    record Grant(String owner, long token, long start, long end) {
    }

    @Test
    void neverTwoHoldersAndEveryTokenGreaterThanTheLastHolders() throws Exception {
        startCluster(Plain.class);
        long seconds = Long.getLong("raftx.test.lockContentionSeconds", 3);
        List<Grant> grants = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> contenders = new ArrayList<>();
        nodes.forEach((id, context) -> {
            RaftxLockOperations locks = context.getBean(RaftxLockOperations.class);
            Thread t = new Thread(() -> contend(locks, id, running, grants), "contender-" + id);
            contenders.add(t);
            t.start();
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        // On a loaded machine few grants may fit in the time: go on (up to 30 s more) until there are some to compare.
        await().atMost(Duration.ofSeconds(30)).until(() -> grants.size() >= 6);
        running.set(false);
        for (Thread t : contenders) {
            t.join(10_000);
        }

        List<Grant> sorted = new ArrayList<>(grants);
        sorted.sort(Comparator.comparingLong(Grant::start));
        System.out.printf("lock contention: %d grants to %d instances, tokens %d..%d%n", sorted.size(),
                sorted.stream().map(Grant::owner).distinct().count(), sorted.get(0).token(),
                sorted.get(sorted.size() - 1).token());
        assertThat(sorted.stream().map(Grant::owner).distinct().count()).as("instances that held it")
                .isGreaterThan(1);
        for (int i = 1; i < sorted.size(); i++) {
            Grant prev = sorted.get(i - 1);
            Grant next = sorted.get(i);
            assertThat(next.token()).as("token of %s after %s", next, prev).isGreaterThan(prev.token());
            assertThat(next.start()).as("%s began before %s ended", next, prev).isGreaterThanOrEqualTo(prev.end());
        }
    }

    /**
     * Acquires, holds for a random while, releases. The recorded end is the latest instant the holder could still
     * have believed it held the lock: the time of release, or the end of a lease that ran out.
     */
    private static void contend(RaftxLockOperations locks, String owner, AtomicBoolean running, List<Grant> grants) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            Optional<RaftxLock> got;
            try {
                got = locks.tryAcquire("contended", Duration.ofMillis(600), Duration.ofMillis(300));
            } catch (RuntimeException e) {
                continue; // no leader for a moment
            }
            if (got.isEmpty()) {
                continue;
            }
            RaftxLock lock = got.get();
            long start = System.nanoTime();
            long holdUntil = start + TimeUnit.MILLISECONDS.toNanos(random.nextInt(5, 80));
            long end = start;
            while (true) {
                long now = System.nanoTime();
                Duration remaining = lock.remaining();
                if (remaining.isZero()) {
                    break;
                }
                end = Math.max(end, now + remaining.toNanos());
                if (now > holdUntil || !running.get()) {
                    end = Math.min(end, System.nanoTime());
                    lock.release();
                    break;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
            grants.add(new Grant(owner, lock.fencingToken(), start, end));
        }
    }

    @Test
    void theLeaderInitiatorGrantsExactlyOneInstanceAndAnotherWhenItStops() {
        startCluster(WithCandidate.class);
        String first = awaitSingleLeader();
        RecordingCandidate firstCandidate = nodes.get(first).getBean(RecordingCandidate.class);
        LeaderEvents firstEvents = nodes.get(first).getBean(LeaderEvents.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !firstEvents.granted.isEmpty());
        assertThat(firstCandidate.calls.get(0)).isEqualTo("granted");
        assertThat(firstEvents.raftxGranted).isNotEmpty();
        for (int i = 0; i < 20; i++) { // a second of watching: never two (a loaded machine may briefly have none)
            assertThat(leaders()).hasSizeLessThanOrEqualTo(1);
            sleep(50);
        }
        String leaving = awaitSingleLeader();
        RecordingCandidate leavingCandidate = nodes.get(leaving).getBean(RecordingCandidate.class);
        List<RaftxElectionGrantedEvent> leavingGrants = nodes.get(leaving).getBean(LeaderEvents.class).raftxGranted;
        long leavingToken = leavingGrants.get(leavingGrants.size() - 1).getFencingToken();

        long closedAt = System.nanoTime();
        nodes.remove(leaving).close(); // steps down before its node stops
        assertThat(leavingCandidate.calls).endsWith("granted", "revoked");
        String second = awaitSingleLeader();
        assertThat(second).isNotEqualTo(leaving);
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).as("handover after a clean stop")
                .isLessThan(Duration.ofSeconds(10));
        LeaderEvents secondEvents = nodes.get(second).getBean(LeaderEvents.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !secondEvents.granted.isEmpty());
        assertThat(nodes.get(second).getBean(RecordingCandidate.class).calls.get(0)).isEqualTo("granted");
        assertThat(secondEvents.raftxGranted.get(secondEvents.raftxGranted.size() - 1).getFencingToken())
                .isGreaterThan(leavingToken);
    }

    private String awaitSingleLeader() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(this::leaders, l -> l.size() == 1).get(0);
    }

    private List<String> leaders() {
        return nodes.entrySet().stream()
                .filter(e -> e.getValue().getBean(RaftxLeaderInitiator.class).getContext().isLeader())
                .map(Map.Entry::getKey).toList();
    }

    private void startCluster(Class<?> app) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        members.keySet().forEach(id -> nodes.put(id, start(app, id, members)));
        assertThat(nodes).hasSize(3);
    }

    private ConfigurableApplicationContext start(Class<?> app, String id, Map<String, String> members) {
        List<String> properties = new ArrayList<>(List.of("raftx.node-id=" + id, "raftx.data-dir=" + dir.resolve(id),
                "raftx.timing.tick=20ms", "raftx.coordination.lease=3s", "spring.main.banner-mode=off"));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Plain {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WithCandidate {
        @Bean
        RecordingCandidate candidate() {
            return new RecordingCandidate();
        }

        @Bean
        LeaderEvents leaderEvents() {
            return new LeaderEvents();
        }
    }

    static class RecordingCandidate implements Candidate {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public String getRole() {
            return "reports";
        }

        @Override
        public String getId() {
            return "candidate";
        }

        @Override
        public void onGranted(Context context) {
            calls.add("granted");
        }

        @Override
        public void onRevoked(Context context) {
            calls.add("revoked");
        }
    }

    static class LeaderEvents {
        final List<OnGrantedEvent> granted = new CopyOnWriteArrayList<>();
        final List<RaftxElectionGrantedEvent> raftxGranted = new CopyOnWriteArrayList<>();

        @EventListener
        void on(OnGrantedEvent e) {
            granted.add(e);
        }

        @EventListener
        void on(RaftxElectionGrantedEvent e) {
            raftxGranted.add(e);
        }
    }
}
