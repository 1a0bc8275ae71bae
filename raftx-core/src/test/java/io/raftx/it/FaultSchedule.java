package io.raftx.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The faults of one linearizability run, drawn from its seed: the leader stopped and later restarted on its
 * storage, and a node (sometimes the leader) cut off by the transport and later healed. One fault at a time, each
 * held long enough for elections to happen around it, and often longer than the nodes' request timeout, so that
 * requests caught by it end with an unknown outcome rather than just late.
 */
final class FaultSchedule {

    enum Kind {
        /** Close the leader's node (in-flight requests become unknown), restart it after the hold. */
        KILL_LEADER,
        /** Cut the leader off: it must stop serving, a new one is elected, the old one rejoins after healing. */
        ISOLATE_LEADER,
        /** Cut a follower off: it falls behind and must catch up after healing. */
        ISOLATE_FOLLOWER
    }

    /** @param pauseBeforeMillis quiet time before the fault @param holdMillis how long the fault lasts */
    record Fault(Kind kind, long pauseBeforeMillis, long holdMillis) { }

    private FaultSchedule() {
    }

    /** A leader kill and an isolation in random order, plus one more random fault. */
    static List<Fault> draw(SplittableRandom random) {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.KILL_LEADER,
                random.nextBoolean() ? Kind.ISOLATE_LEADER : Kind.ISOLATE_FOLLOWER,
                Kind.values()[random.nextInt(Kind.values().length)]));
        Collections.shuffle(kinds, new Random(random.nextLong()));
        List<Fault> faults = new ArrayList<>();
        for (Kind k : kinds) {
            faults.add(new Fault(k, 500 + random.nextInt(1000), 1500 + random.nextInt(2500)));
        }
        return faults;
    }

    /** Runs {@code fault} to its end (node restarted or healed) and says what it did. */
    static String inject(Fault fault, InJvmKvCluster cluster, SplittableRandom random) throws InterruptedException {
        Thread.sleep(fault.pauseBeforeMillis());
        String leader = cluster.awaitLeader(java.time.Duration.ofSeconds(20));
        switch (fault.kind()) {
            case KILL_LEADER -> {
                cluster.stop(leader);
                Thread.sleep(fault.holdMillis());
                cluster.start(leader);
                return "stopped leader " + leader + " for " + fault.holdMillis() + " ms";
            }
            case ISOLATE_LEADER -> {
                return isolate(cluster, leader, "leader", fault.holdMillis());
            }
            case ISOLATE_FOLLOWER -> {
                List<String> followers = cluster.runningIds().stream().filter(id -> !id.equals(leader)).toList();
                return isolate(cluster, followers.get(random.nextInt(followers.size())), "follower",
                        fault.holdMillis());
            }
            default -> throw new IllegalStateException(fault.kind().toString());
        }
    }

    private static String isolate(InJvmKvCluster cluster, String id, String role, long holdMillis)
            throws InterruptedException {
        cluster.isolate(id);
        Thread.sleep(holdMillis);
        cluster.heal(id);
        return "isolated " + role + " " + id + " for " + holdMillis + " ms";
    }
}
