package io.raftx.node;

import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.snapshot.FileSnapshotStore;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.snapshot.SnapshotStats;
import io.raftx.storage.MemoryRaftStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runtime nodes with snapshots on the in-JVM transport: memory log storage (everything persisted survives a
 * "crash", which is a close), a file snapshot store per node, {@link LogMachine} state. Commands are "c0", "c1"...;
 * the ones whose proposal succeeded are remembered, to check that none was lost.
 */
final class SnapshotTestCluster implements AutoCloseable {

    final LocalTransport.Hub hub = new LocalTransport.Hub();
    final List<String> ids;
    final Map<String, RaftNode> nodes = new ConcurrentHashMap<>();
    final Map<String, LogMachine> machines = new ConcurrentHashMap<>();
    final Map<String, MemoryRaftStorage> storages = new LinkedHashMap<>();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Path root;
    private final SnapshotSettings settings;
    private int nextCommand;
    /** Snapshot counters of node incarnations that were crashed. */
    private long retiredTaken;
    private long retiredInstalled;

    /** Whether the state machines capture their state for snapshots written off the loop. */
    private final boolean capturing;

    SnapshotTestCluster(Path root, int size, SnapshotSettings settings, boolean capturing) {
        this.root = root;
        this.settings = settings;
        this.capturing = capturing;
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            list.add("n" + i);
        }
        this.ids = List.copyOf(list);
    }

    void startAll() {
        ids.forEach(this::start);
    }

    void start(String id) {
        LogMachine machine = capturing ? new CapturingLogMachine() : new LogMachine();
        MemoryRaftStorage storage = storages.computeIfAbsent(id, k -> new MemoryRaftStorage());
        NodeConfig config = NodeConfig.of(id, ids).withTick(Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(3)).withSnapshots(settings);
        RaftNode node = new RaftNode(config, storage, FileSnapshotStore.open(snapshotDir(id)), hub.join(id), machine);
        machines.put(id, machine);
        nodes.put(id, node);
        node.start();
    }

    Path snapshotDir(String id) {
        return root.resolve(id).resolve("snapshots");
    }

    /** Stops the node at once; what it persisted (log, hard state, snapshot files) stays for a restart. */
    void crash(String id) {
        RaftNode n = nodes.get(id);
        if (n == null) {
            return;
        }
        try {
            SnapshotStats s = n.snapshotStats().get(5, TimeUnit.SECONDS);
            retiredTaken += s.taken();
            retiredInstalled += s.installed();
        } catch (Exception e) {
            throw new IllegalStateException("node " + id + " is not answering", e);
        }
        nodes.remove(id);
        n.close();
    }

    void isolate(String id, boolean isolated) {
        if (isolated) {
            hub.isolated.add(id);
        } else {
            hub.isolated.remove(id);
        }
    }

    String awaitLeader() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER && !hub.isolated.contains(n.id()))
                .map(RaftNode::id).findFirst().orElse(null), id -> id != null);
    }

    /**
     * Proposes {@code count} new commands through running nodes, {@code parallel} at a time, and waits for their
     * outcomes. Failures are tolerated (a lossy network or a crash may lose some); successes are remembered.
     */
    void propose(int count, int parallel) throws InterruptedException {
        List<CompletableFuture<Applied>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String command = "c" + nextCommand++;
            RaftNode via = via(i);
            CompletableFuture<Applied> f = via == null ? CompletableFuture.failedFuture(new IllegalStateException())
                    : via.propose(command.getBytes(StandardCharsets.UTF_8));
            inFlight.add(f.whenComplete((a, e) -> {
                if (e == null) {
                    acknowledged.add(command);
                }
            }));
            if (inFlight.size() >= parallel) {
                awaitAll(inFlight);
            }
        }
        awaitAll(inFlight);
    }

    private RaftNode via(int i) {
        List<RaftNode> reachable = nodes.values().stream().filter(n -> !hub.isolated.contains(n.id())).toList();
        return reachable.isEmpty() ? null : reachable.get(i % reachable.size());
    }

    private static void awaitAll(List<CompletableFuture<Applied>> futures) throws InterruptedException {
        for (CompletableFuture<Applied> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // outcome unknown or refused: not acknowledged
            }
        }
        futures.clear();
    }

    /** Waits until every running node applied the same commands, including every acknowledged one. */
    void awaitConverged() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> first = null;
            for (String id : nodes.keySet()) {
                List<String> l = machines.get(id).copy();
                if (first == null) {
                    first = l;
                } else if (!first.equals(l)) {
                    return false;
                }
            }
            return first != null && first.containsAll(acknowledged);
        });
    }

    SnapshotStats stats(String id) throws Exception {
        return nodes.get(id).snapshotStats().get(5, TimeUnit.SECONDS);
    }

    /** Snapshots taken by all nodes, including incarnations that crashed. */
    long totalTaken() throws Exception {
        long sum = retiredTaken;
        for (String id : nodes.keySet()) {
            sum += stats(id).taken();
        }
        return sum;
    }

    /** Snapshots installed from a leader by all nodes, including incarnations that crashed. */
    long totalInstalled() throws Exception {
        long sum = retiredInstalled;
        for (String id : nodes.keySet()) {
            sum += stats(id).installed();
        }
        return sum;
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.keySet()).forEach(this::crash);
        hub.executor.shutdownNow();
    }
}
