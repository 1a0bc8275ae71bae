package io.raftx.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws and injects one fault at a time into a {@link ProcessCluster} and waits until it is over (the node restarted
 * and caught up, the partition healed, the member added or removed). The cluster keeps 3 to 5 voters; membership
 * changes go through the etcd Cluster API while clients keep writing.
 *
 * <p>Memory loss stays within what the volatile keyspace tolerates (a minority at a time): a node that restarts
 * empty, or joins, must hold every volatile write acknowledged before it came back before the next fault may begin
 * ({@code volatileCopy}).
 */
final class FaultInjector {

    enum Kind { SIGKILL, SIGSTOP, ISOLATE, SPLIT, ADD, REMOVE, REMOVE_LEADER, REPLACE }

    /** Waits until the node holds every volatile write acknowledged so far. */
    interface VolatileCopy {
        void await(String node) throws InterruptedException;
    }

    private static final int MIN_VOTERS = 3;
    private static final int MAX_VOTERS = 5;

    private final ProcessCluster cluster;
    private final PeerNetwork network;
    private final MemberChanges members;
    private final VolatileCopy volatileCopy;
    private final SplittableRandom random;
    private final Duration settle;
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);

    FaultInjector(ProcessCluster cluster, PeerNetwork network, VolatileCopy volatileCopy, long seed,
                  Duration settle) {
        this.cluster = cluster;
        this.network = network;
        this.members = new MemberChanges(cluster);
        this.volatileCopy = volatileCopy;
        this.random = new SplittableRandom(seed);
        this.settle = settle;
    }

    /** Injects the next fault and returns what it was. */
    String injectNext() throws InterruptedException {
        List<String> ids = cluster.ids();
        List<Kind> possible = new ArrayList<>(List.of(Kind.SIGKILL, Kind.SIGSTOP, Kind.ISOLATE, Kind.REPLACE));
        if (ids.size() >= 4) {
            possible.add(Kind.SPLIT);
        }
        if (ids.size() < MAX_VOTERS) {
            possible.add(Kind.ADD);
        }
        if (ids.size() > MIN_VOTERS) {
            possible.addAll(List.of(Kind.REMOVE, Kind.REMOVE_LEADER));
        }
        Kind kind = possible.get(random.nextInt(possible.size()));
        String leader = cluster.awaitLeader(settle);
        String description = inject(kind, ids, leader);
        counts.merge(kind, 1, Integer::sum);
        return description;
    }

    private String inject(Kind kind, List<String> ids, String leader) throws InterruptedException {
        return switch (kind) {
            case SIGKILL -> sigkill(target(ids, leader));
            case SIGSTOP -> sigstop(target(ids, leader));
            case ISOLATE -> isolate(target(ids, leader), ids);
            case SPLIT -> split(ids, leader);
            case ADD -> "added " + add();
            case REMOVE -> "removed follower " + remove(any(ids, leader));
            case REMOVE_LEADER -> "removed leader " + remove(leader);
            case REPLACE -> replace(ids, leader);
        };
    }

    /** The leader half of the time (where faults hurt most), else any node. */
    private String target(List<String> ids, String leader) {
        return random.nextBoolean() ? leader : ids.get(random.nextInt(ids.size()));
    }

    private String any(List<String> ids, String except) {
        List<String> others = new ArrayList<>(ids);
        others.remove(except);
        return others.get(random.nextInt(others.size()));
    }

    private String sigkill(String id) throws InterruptedException {
        cluster.kill(id);
        String successor = cluster.awaitLeader(settle);
        Thread.sleep(random.nextInt(1_000));
        cluster.restart(id, settle);
        cluster.awaitCaughtUp(id, settle);
        volatileCopy.await(id);
        return "SIGKILL " + id + " (leader then " + successor + "), restarted";
    }

    private String sigstop(String id) throws InterruptedException {
        int millis = 1_000 + random.nextInt(2_000);
        cluster.pause(id);
        try {
            Thread.sleep(millis);
        } finally {
            cluster.resume(id);
        }
        return "SIGSTOP " + id + " for " + millis + " ms";
    }

    private String isolate(String id, List<String> ids) throws InterruptedException {
        Set<String> rest = new HashSet<>(ids);
        rest.remove(id);
        return cut(Set.of(id), rest);
    }

    /** A minority (the leader in it half of the time) cut from the rest; with 4 voters, two against two. */
    private String split(List<String> ids, String leader) throws InterruptedException {
        List<String> shuffled = new ArrayList<>(ids);
        shuffled.remove(leader);
        Collections.shuffle(shuffled, new Random(random.nextLong()));
        Set<String> side = new HashSet<>();
        if (random.nextBoolean()) {
            side.add(leader);
        }
        for (String id : shuffled) {
            if (side.size() < ids.size() / 2) {
                side.add(id);
            }
        }
        Set<String> rest = new HashSet<>(ids);
        rest.removeAll(side);
        return cut(side, rest);
    }

    private String cut(Set<String> side, Set<String> rest) throws InterruptedException {
        int millis = 2_000 + random.nextInt(2_000);
        network.split(numbers(side), numbers(rest));
        try {
            Thread.sleep(millis);
        } finally {
            network.healAll();
        }
        return "partition " + side + " | " + rest + " for " + millis + " ms";
    }

    private Set<Integer> numbers(Set<String> ids) {
        Set<Integer> out = new HashSet<>();
        ids.forEach(id -> out.add(cluster.number(id)));
        return out;
    }

    private String add() throws InterruptedException {
        String id = cluster.startJoiner(settle);
        members.add(id, settle.multipliedBy(2));
        cluster.awaitCaughtUp(id, settle);
        volatileCopy.await(id);
        return id;
    }

    private String remove(String id) throws InterruptedException {
        members.remove(id, settle.multipliedBy(2));
        cluster.discard(id);
        return id;
    }

    private String replace(List<String> ids, String leader) throws InterruptedException {
        String old = target(ids, leader);
        if (ids.size() >= MAX_VOTERS) {
            remove(old);
            return "replaced " + old + " by " + add() + " (removed first)";
        }
        String added = add();
        remove(old);
        return "replaced " + old + " by " + added;
    }

    Map<Kind, Integer> counts() {
        return new EnumMap<>(counts);
    }

    int membershipChanges() {
        return counts.getOrDefault(Kind.ADD, 0) + counts.getOrDefault(Kind.REMOVE, 0)
                + counts.getOrDefault(Kind.REMOVE_LEADER, 0) + 2 * counts.getOrDefault(Kind.REPLACE, 0);
    }
}
