package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.raftx.raft.Entry;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The MIT 6.5840 Raft lab's test harness ({@code config.go}) on top of the simulator, so the lab's tests read the
 * same here: {@code disconnect}/{@code connect} cut a server off from everyone (both ways, including messages already
 * on the wire), {@code crash}/{@code start} kill and revive it with only what it persisted (a crashed server stays
 * disconnected until connected again, as in the lab), {@code checkOneLeader}, {@code checkNoLeader},
 * {@code checkTerms}, {@code nCommitted} and {@code one}. Every step still runs the simulator's invariant checks.
 *
 * <p>Time is in ticks: the default election timeout is 10 ticks plus 3 per succession rank, so {@link #ELECTION}
 * (the lab's "RaftElectionTimeout") is a generous bound on how long an election may take at these cluster sizes.
 */
final class MitCluster {

    /** Ticks within which an election must have succeeded (several timeouts, for every rank up to 7 nodes). */
    static final int ELECTION = 50;

    final SimCluster sim;
    private final Set<String> disconnected = new HashSet<>();

    MitCluster(long seed, int servers) {
        this(SimCluster.builder(seed).nodes(servers));
    }

    MitCluster(SimClusterBuilder builder) {
        sim = builder.build();
        sim.dropMessages(m -> disconnected.contains(m.from()) || disconnected.contains(m.to()));
    }

    List<String> ids() {
        return sim.ids();
    }

    /** The server {@code offset} places after {@code id} in n1..nN order, wrapping around (the lab's (i+k)%n). */
    String after(String id, int offset) {
        List<String> ids = ids();
        return ids.get((ids.indexOf(id) + offset) % ids.size());
    }

    String random() {
        return ids().get(sim.random().nextInt(ids().size()));
    }

    void disconnect(String id) {
        disconnected.add(id);
    }

    void connect(String id) {
        disconnected.remove(id);
    }

    boolean isConnected(String id) {
        return !disconnected.contains(id);
    }

    /** Kills the server; like the lab's crash1 it is also disconnected, until {@link #connect}. */
    void crash(String id) {
        disconnect(id);
        sim.crash(id);
    }

    /** Restarts the server from what it persisted (still disconnected: call {@link #connect}). */
    void start(String id) {
        sim.restart(id);
    }

    boolean isUp(String id) {
        return sim.node(id).isUp();
    }

    void setUnreliable(boolean unreliable) {
        sim.network().setFaults(unreliable ? FaultPlan.unreliable(0.1, 2 * SimCluster.TICK, false) : FaultPlan.none());
    }

    void setLongReordering() {
        sim.network().setFaults(FaultPlan.unreliable(0.1, 2 * SimCluster.TICK, true));
    }

    private List<SimNode> connectedUp() {
        return sim.nodes().stream().filter(n -> n.isUp() && isConnected(n.id())).toList();
    }

    /** The leader among the connected servers whose term none of them has passed, or null. */
    private String stableConnectedLeader() {
        List<SimNode> live = connectedUp();
        long maxTerm = live.stream().mapToLong(n -> n.raft().term()).max().orElse(-1);
        List<SimNode> leaders = live.stream()
                .filter(n -> n.raft().role() == Role.LEADER && n.raft().term() == maxTerm).toList();
        return leaders.size() == 1 ? leaders.get(0).id() : null;
    }

    /** Waits for exactly one leader among the connected servers (in the newest term among them) and returns it. */
    String checkOneLeader() {
        String[] leader = {null};
        boolean found = sim.runUntil(() -> (leader[0] = stableConnectedLeader()) != null, 2 * ELECTION);
        if (!found) {
            fail("expected one leader among connected servers " + connectedIds() + "\n" + sim.describeNodes());
        }
        return leader[0];
    }

    /** After an election timeout's worth of time, no connected server believes it leads. */
    void checkNoLeader() {
        sim.runTicks(ELECTION);
        List<String> leaders = connectedUp().stream().filter(n -> n.raft().role() == Role.LEADER).map(SimNode::id)
                .toList();
        assertThat(leaders).as("no leader expected among connected " + connectedIds() + "\n" + sim.describeNodes())
                .isEmpty();
    }

    /** Every connected server is in the same term; returns it. */
    long checkTerms() {
        Set<Long> terms = new HashSet<>();
        connectedUp().forEach(n -> terms.add(n.raft().term()));
        assertThat(terms).as("servers disagree on term\n" + sim.describeNodes()).hasSize(1);
        return terms.iterator().next();
    }

    private List<String> connectedIds() {
        return connectedUp().stream().map(SimNode::id).toList();
    }

    /** How many live servers have applied {@code index} (the checker ensures they all applied the same entry). */
    int nCommitted(long index) {
        return (int) sim.nodes().stream().filter(n -> n.isUp() && n.appliedIndex() >= index).count();
    }

    /**
     * The lab's {@code one(cmd, expectedServers, retry=true)}: proposes a fresh command to a connected leader and
     * waits until at least {@code expectedServers} servers applied it at the index the leader gave it; retries on
     * another leader if that fails, and fails the test after {@code 10 * ELECTION} ticks. Returns the index.
     */
    long one(int expectedServers) {
        long deadline = sim.now() + 10L * ELECTION * SimCluster.TICK;
        while (sim.now() < deadline) {
            Proposal p = proposeToAConnectedLeader();
            if (p == null) {
                sim.runTicks(1);
                continue;
            }
            if (sim.runUntil(() -> nCommitted(p.index()) >= expectedServers && holds(p), 2 * ELECTION)) {
                return p.index();
            }
        }
        return fail("one(" + expectedServers + ") failed to reach agreement\n" + sim.describeNodes());
    }

    /** Proposes to the first connected server that accepts (only a leader does); null if none does. */
    Proposal proposeToAConnectedLeader() {
        for (SimNode n : connectedUp()) {
            if (n.raft().role() == Role.LEADER) {
                Proposal p = sim.propose(n.id());
                if (p.accepted()) {
                    return p;
                }
            }
        }
        return null;
    }

    /** True if the entry committed at {@code p}'s index is {@code p}'s command. */
    boolean holds(Proposal p) {
        Entry committed = sim.committedEntry(p.index());
        return committed != null && Arrays.equals(committed.data(), p.data());
    }

    /** Proposes {@code count} commands at once to a leader and keeps re-proposing the ones that fail until all are
     * applied on {@code expectedServers} servers; returns the proposals that made it. */
    List<Proposal> commitConcurrently(int count, int expectedServers) {
        List<Proposal> done = new ArrayList<>();
        long deadline = sim.now() + 20L * ELECTION * SimCluster.TICK;
        int missing = count;
        while (missing > 0 && sim.now() < deadline) {
            String leader = stableConnectedLeader();
            if (leader == null) {
                sim.runTicks(1);
                continue;
            }
            List<Proposal> batch = sim.proposeBatch(leader, missing).stream().filter(Proposal::accepted).toList();
            long last = batch.stream().mapToLong(Proposal::index).max().orElse(0);
            sim.runUntil(() -> nCommitted(last) >= expectedServers, 2 * ELECTION);
            for (Proposal p : batch) {
                if (nCommitted(p.index()) >= expectedServers && holds(p)) {
                    done.add(p);
                    missing--;
                }
            }
        }
        assertThat(done).as("all concurrent commands committed\n" + sim.describeNodes()).hasSize(count);
        return done;
    }
}
