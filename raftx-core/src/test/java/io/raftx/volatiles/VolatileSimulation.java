package io.raftx.volatiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One seeded random run over a {@link VolatileCluster}: 3 or 5 nodes, a small ring buffer, random Raft leader
 * changes (with late notices and step-downs), client writes and strong reads, ticks, message loss, duplication and
 * reordering, partitions, and crashes that lose all volatile memory. Invariants are checked after every Ready.
 *
 * <p>Crashes respect the failure model the guarantees are stated for: at every moment a majority of voters keeps
 * its volatile memory (is up and has synced since it last started). At the end the network heals, crashed nodes
 * restart, and every live node must converge to the leader's state with every acknowledged write in it.
 */
final class VolatileSimulation {

    private static final int STEPS = 800;
    private static final int CONVERGENCE_ROUNDS = 400;

    private final long seed;
    private final Random random;
    private final VolatileCluster cluster;
    private final double dropRate;
    private final double duplicateRate;
    private final double chaos;
    private int writes;

    VolatileSimulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        int size = random.nextBoolean() ? 3 : 5;
        int ring = 4 + random.nextInt(40);
        int batch = 1 + random.nextInt(4);
        this.cluster = new VolatileCluster(size, cfg -> cfg.withRingCapacity(ring).withTimers(1, 3, 8, 30)
                .withBatching(Math.min(ring, 16), batch));
        this.dropRate = random.nextDouble() * 0.15;
        this.duplicateRate = random.nextDouble() * 0.05;
        this.chaos = random.nextDouble();
    }

    VolatileCluster cluster() {
        return cluster;
    }

    void run() {
        electSomeone(true);
        for (int step = 0; step < STEPS; step++) {
            randomAction();
            int acked = cluster.outcomes.size();
            if (random.nextInt(10) < 7) {
                cluster.collectAll();
            } else {
                cluster.collect(randomNode());
            }
            if (cluster.outcomes.size() > acked && random.nextDouble() < chaos * 0.2 && cluster.raftLeader != null) {
                crashIfMemorySurvives(cluster.raftLeader); // kill the leader right after it acknowledged
            }
        }
        converge();
    }

    private void randomAction() {
        double roll = random.nextDouble();
        double faults = chaos * 0.06; // leader changes, crashes, restarts, partitions: 0 to 6% of steps
        if (roll < faults) {
            randomFault();
        } else if (roll < 0.40) {
            deliverOrDropOne();
        } else if (roll < 0.50) {
            tickOne(randomNode());
        } else if (roll < 0.56) {
            cluster.live().forEach(VolatileReplica::tick);
        } else if (roll < 0.72) {
            clientWrite();
        } else if (roll < 0.75) {
            clientRead();
        } else if (roll < 0.79) {
            deliverANotice();
        } else {
            deliverOrDropOne();
        }
    }

    private void randomFault() {
        switch (random.nextInt(10)) {
            case 0, 1 -> electSomeone(random.nextBoolean());
            case 2 -> cluster.leaderStepsDown();
            case 3, 4 -> crashSomeone();
            case 5, 6 -> restartSomeone();
            case 7 -> partitionRandomly();
            default -> cluster.heal();
        }
    }

    private String randomNode() {
        return cluster.ids.get(random.nextInt(cluster.ids.size()));
    }

    private void tickOne(String id) {
        if (!cluster.down.contains(id)) {
            cluster.node(id).tick();
        }
    }

    private void deliverOrDropOne() {
        if (cluster.inFlight.isEmpty()) {
            return;
        }
        int i = random.nextInt(cluster.inFlight.size());
        double r = random.nextDouble();
        if (r < dropRate) {
            cluster.inFlight.remove(i);
        } else {
            if (r < dropRate + duplicateRate) {
                cluster.inFlight.add(cluster.inFlight.get(i));
            }
            cluster.deliver(i);
        }
    }

    private void deliverANotice() {
        if (!cluster.notices.isEmpty()) {
            cluster.deliverNotice(random.nextInt(cluster.notices.size()));
        }
    }

    private void electSomeone(boolean notifyAll) {
        List<String> candidates = cluster.ids.stream().filter(cluster::canElect).toList();
        if (!candidates.isEmpty()) {
            cluster.elect(candidates.get(random.nextInt(candidates.size())), random, notifyAll);
        }
    }

    private void clientWrite() {
        String at = cluster.raftLeader != null && random.nextInt(10) < 8 ? cluster.raftLeader : randomNode();
        if (at == null || cluster.down.contains(at)) {
            return;
        }
        String key = "k" + random.nextInt(6);
        long ttl = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        VolatileOp op = switch (random.nextInt(4)) {
            case 0, 1 -> VolatileOp.put(key, ("v" + writes++).getBytes(StandardCharsets.UTF_8), ttl);
            case 2 -> random.nextBoolean() ? VolatileOp.addToSet(key, "m" + random.nextInt(4), ttl)
                    : VolatileOp.removeFromSet(key, "m" + random.nextInt(4));
            default -> VolatileOp.delete(key);
        };
        cluster.write(at, op);
    }

    private void clientRead() {
        String at = cluster.raftLeader;
        if (at != null && !cluster.down.contains(at)) {
            cluster.readStrong(at, "k" + random.nextInt(6));
        }
    }

    /** Crashes a live node, but only if a majority of voters would still hold volatile memory. */
    private void crashSomeone() {
        crashIfMemorySurvives(randomNode());
    }

    private void crashIfMemorySurvives(String victim) {
        if (cluster.down.contains(victim)) {
            return;
        }
        long withMemory = cluster.live().stream().filter(n -> !n.id().equals(victim) && n.isSynced()).count();
        if (withMemory >= cluster.ids.size() / 2 + 1) {
            cluster.crash(victim);
        }
    }

    private void restartSomeone() {
        List<String> crashed = cluster.ids.stream().filter(cluster.down::contains).toList();
        if (!crashed.isEmpty()) {
            cluster.restart(crashed.get(random.nextInt(crashed.size())));
        }
    }

    private void partitionRandomly() {
        Set<String> side = new HashSet<>();
        for (String id : cluster.ids) {
            if (random.nextBoolean()) {
                side.add(id);
            }
        }
        cluster.partition(side);
    }

    /** Heals everything, keeps one leader, and runs without faults until every live node has the same state. */
    private void converge() {
        cluster.heal();
        new ArrayList<>(cluster.down).forEach(cluster::restart);
        VolatileReplica leader = cluster.leader();
        if (leader == null || cluster.raftLeader == null) {
            electSomeone(true);
        }
        cluster.deliverAllNotices();
        for (int round = 0; round < CONVERGENCE_ROUNDS; round++) {
            cluster.settle();
            if (cluster.converged() && round > 40) {
                cluster.invariants.checkAllHoldAcknowledged(cluster.live());
                for (VolatileReplica n : cluster.live()) {
                    VolatileInvariants.check(n.rollbacks() == 0, n.id() + " rolled back committed state");
                }
                return;
            }
            cluster.live().forEach(VolatileReplica::tick);
        }
        throw new AssertionError("seed " + seed + " did not converge:\n" + cluster.describe());
    }
}
