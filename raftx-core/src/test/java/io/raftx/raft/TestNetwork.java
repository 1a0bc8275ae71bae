package io.raftx.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A tiny synchronous harness for unit tests of the core: messages are delivered in FIFO order, instantly, unless
 * a filter drops them. Storage is a per-node list plus hard state, so nodes can be restarted from what they
 * persisted. The seeded simulator (io.raftx.sim) is the randomized counterpart.
 */
final class TestNetwork {

    final Map<String, Raft> nodes = new LinkedHashMap<>();
    final Map<String, List<Entry>> storedLog = new HashMap<>();
    final Map<String, HardState> storedHardState = new HashMap<>();
    final Map<String, List<Entry>> applied = new HashMap<>();
    final Map<Long, ProposalOutcome> outcomes = new HashMap<>();
    final Map<Long, ReadState> reads = new HashMap<>();
    /** Per node: its latest snapshot and the applied entries it stands for (the test's state machine state). */
    final Map<String, SnapshotMeta> storedSnapshot = new HashMap<>();
    final Map<String, List<Entry>> snapshotData = new HashMap<>();
    /** Snapshot data that arrived with a SNAPSHOT message, waiting for the core to decide to install it. */
    private final Map<String, List<Entry>> staged = new HashMap<>();
    final Deque<Message> inFlight = new ArrayDeque<>();
    final Set<String> down = new HashSet<>();
    final List<Message> delivered = new ArrayList<>();
    private final Function<String, RaftConfig> configs;
    private final Random random = new Random(1);
    Predicate<Message> drop = m -> false;

    TestNetwork(List<String> ids, Function<String, RaftConfig> configs) {
        this.configs = configs;
        for (String id : ids) {
            storedLog.put(id, new ArrayList<>());
            storedHardState.put(id, HardState.EMPTY);
            start(id);
        }
    }

    static TestNetwork of(String... ids) {
        List<String> all = List.of(ids);
        return new TestNetwork(all, id -> RaftConfig.of(id, all));
    }

    void start(String id) {
        SnapshotMeta snap = storedSnapshot.get(id);
        applied.put(id, new ArrayList<>(snapshotData.getOrDefault(id, List.of())));
        nodes.put(id, new Raft(configs.apply(id), new RestoredState(storedHardState.get(id), snap, storedLog.get(id),
                snap == null ? 0 : snap.index()), random));
        down.remove(id);
    }

    /** Snapshots node {@code id}'s state machine at its applied index and compacts its log up to there. */
    void snapshot(String id) {
        Raft r = nodes.get(id);
        List<Entry> state = List.copyOf(applied.get(id));
        SnapshotMeta meta = r.snapshots().taken(r.appliedIndex());
        r.snapshots().compactLog(meta.index());
        storedSnapshot.put(id, meta);
        snapshotData.put(id, state);
        List<Entry> log = storedLog.get(id);
        log.removeIf(e -> e.index() <= meta.index());
    }

    /** NORMAL entries 1..n with the given terms. */
    static List<Entry> entries(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(new Entry(terms[i], i + 1, EntryType.NORMAL, new byte[] {(byte) i}));
        }
        return out;
    }

    /** A network of {@code ids} whose nodes start from the given logs, all at {@code term}, with commit 0. */
    static TestNetwork restored(List<String> ids, long term, Map<String, List<Entry>> logs, RaftConfig base) {
        TestNetwork net = new TestNetwork(List.of(), id -> base);
        for (String id : ids) {
            net.storedLog.put(id, new ArrayList<>(logs.get(id)));
            net.storedHardState.put(id, new HardState(term, null, 0));
            RaftConfig c = base.withMembers(id, ids);
            net.nodes.put(id, new Raft(c, new RestoredState(net.storedHardState.get(id), net.storedLog.get(id), 0),
                    new java.util.SplittableRandom(7)));
            net.applied.put(id, new ArrayList<>());
        }
        return net;
    }

    /** Starts a brand-new node with its own configuration (for example no voters: it waits to be added). */
    void addNode(String id, RaftConfig config) {
        storedLog.put(id, new ArrayList<>());
        storedHardState.put(id, HardState.EMPTY);
        applied.put(id, new ArrayList<>());
        nodes.put(id, new Raft(config, RestoredState.EMPTY, random));
    }

    void crash(String id) {
        down.add(id);
    }

    /** After {@link #crash}: the node goes on as it was (a paused process continued), with what it missed lost. */
    void resume(String id) {
        down.remove(id);
    }

    Raft node(String id) {
        return nodes.get(id);
    }

    /** Processes every Ready of every live node, delivering messages until nothing moves. */
    void settle() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String id : nodes.keySet()) {
                if (!down.contains(id) && nodes.get(id).hasReady()) {
                    handleReady(id);
                    moved = true;
                }
            }
            while (!inFlight.isEmpty()) {
                Message m = inFlight.poll();
                if (!down.contains(m.to()) && !drop.test(m)) {
                    delivered.add(m);
                    if (m.type() == MessageType.SNAPSHOT) {
                        staged.put(m.to(), snapshotData.get(m.from()));
                    }
                    nodes.get(m.to()).step(m);
                }
                moved = true;
            }
        }
    }

    private void handleReady(String id) {
        Raft r = nodes.get(id);
        Ready rd = r.ready();
        inFlight.addAll(rd.eagerMessages());
        if (rd.snapshot() != null) {
            List<Entry> data = staged.remove(id);
            applied.put(id, new ArrayList<>(data));
            storedSnapshot.put(id, rd.snapshot());
            snapshotData.put(id, data);
            storedLog.get(id).clear();
        }
        if (rd.hardState() != null) {
            storedHardState.put(id, rd.hardState());
        }
        if (!rd.entries().isEmpty()) {
            List<Entry> log = storedLog.get(id);
            long first = rd.entries().get(0).index();
            while (log.size() >= first) {
                log.remove(log.size() - 1);
            }
            log.addAll(rd.entries());
        }
        inFlight.addAll(rd.messages());
        applied.get(id).addAll(rd.committedEntries());
        rd.outcomes().forEach(o -> outcomes.put(o.proposalId(), o));
        rd.readStates().forEach(s -> reads.put(s.requestId(), s));
        r.advance(rd);
    }

    void tickAll(int ticks) {
        for (int i = 0; i < ticks; i++) {
            for (String id : nodes.keySet()) {
                if (!down.contains(id)) {
                    nodes.get(id).tick();
                }
            }
            settle();
        }
    }

    /** Ticks until a node other than {@code old} leads; how many that took, or -1 if none did within {@code max}. */
    int ticksUntilLeaderOtherThan(String old, int max) {
        for (int t = 1; t <= max; t++) {
            tickAll(1);
            String leader = leader();
            if (leader != null && !leader.equals(old)) {
                return t;
            }
        }
        return -1;
    }

    String leader() {
        String leader = null;
        for (String id : nodes.keySet()) {
            if (!down.contains(id) && nodes.get(id).role() == Role.LEADER) {
                leader = leader == null || nodes.get(id).term() > nodes.get(leader).term() ? id : leader;
            }
        }
        return leader;
    }

    /** Isolates the given nodes from everyone else (both directions). */
    void partition(Set<String> side) {
        drop = m -> side.contains(m.from()) != side.contains(m.to());
    }

    void heal() {
        drop = m -> false;
    }
}
