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
        applied.put(id, new ArrayList<>());
        nodes.put(id, new Raft(configs.apply(id), new RestoredState(storedHardState.get(id), storedLog.get(id), 0), random));
        down.remove(id);
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
