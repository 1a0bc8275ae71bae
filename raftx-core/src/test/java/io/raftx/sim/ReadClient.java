package io.raftx.sim;

import io.raftx.raft.ReadState;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reads as the runtime serves them, and what they return:
 * <ul>
 *   <li>{@link Kind#READ_INDEX}: the leader confirms a read index (ReadIndex) and serves from its state machine once
 *       it applied that far;</li>
 *   <li>{@link Kind#FOLLOWER_READ}: a follower asks the leader for a read index and serves it locally once applied;</li>
 *   <li>{@link Kind#LEASE}: the leader serves at its commit index without a round trip while its lease holds.</li>
 * </ul>
 * A served read returns the node's state machine (a digest) at its applied index; the checker verifies that this is
 * the committed state at that index and that it is no older than any write completed before the read began.
 */
final class ReadClient {

    enum Kind { READ_INDEX, FOLLOWER_READ, LEASE }

    /**
     * One read: asked of {@code node} (incarnation {@code incarnation}), served on {@code server}. It must observe
     * {@code minIndex}, the highest index committed anywhere when it began, and so {@code ackedWrite}, the highest
     * index of a write whose success a client had been told by then.
     */
    record Read(long id, Kind kind, String node, int incarnation, String server, long minIndex, long ackedWrite) {
    }

    /** A read waiting for its server to apply up to {@code index}. */
    private record Pending(Read read, int serverIncarnation, long index, long deadline) {
    }

    /** A read not served within this many ticks is given up (its server is cut off or gone). */
    private static final int SERVE_TIMEOUT_TICKS = 50;

    private final SimCluster cluster;
    private final Random random;
    private final SimStats stats;
    private final Map<Long, Read> awaitingIndex = new HashMap<>();
    private final List<Pending> awaitingApply = new ArrayList<>();

    ReadClient(SimCluster cluster, Random random, SimStats stats) {
        this.cluster = cluster;
        this.random = random;
        this.stats = stats;
    }

    /** A random kind: ReadIndex on the leader, on a follower, or a lease read. */
    Kind randomKind() {
        return Kind.values()[random.nextInt(Kind.values().length)];
    }

    /**
     * Starts a read at {@code node}, to be served on {@code server} (for a follower read; null picks a random other
     * node). Returns false if {@code node} does not lead (the caller may follow its leader hint). A lease read falls
     * back to ReadIndex when the lease does not hold. Does not process the node's Ready.
     */
    boolean start(long id, SimNode node, Kind kind, String server, long minIndex, long ackedWrite) {
        if (node.raft().role() != Role.LEADER) {
            return false;
        }
        boolean lease = node.raft().leaseValid() || cluster.defect() == RuntimeDefect.LEASE_READS_WITHOUT_LEASE;
        if (kind == Kind.LEASE && lease) {
            Read read = new Read(id, kind, node.id(), node.incarnation(), node.id(), minIndex, ackedWrite);
            awaitApply(read, node.raft().commitIndex());
            stats.leaseReads++;
            stats.readsRequested++;
            return true;
        }
        Kind asked = kind == Kind.LEASE ? Kind.READ_INDEX : kind;
        if (!node.raft().readIndex(id)) {
            return false;
        }
        String servedBy = asked != Kind.FOLLOWER_READ ? node.id() : server != null ? server : someOtherNode(node.id());
        awaitingIndex.put(id, new Read(id, asked, node.id(), node.incarnation(), servedBy, minIndex, ackedWrite));
        stats.readsRequested++;
        return true;
    }

    private String someOtherNode(String leader) {
        List<String> others = cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
        return others.isEmpty() ? leader : others.get(random.nextInt(others.size()));
    }

    /** The leader answered a ReadIndex request: the read (removed from the waiting ones), or null if unknown. */
    Read onReadState(ReadState r) {
        Read read = awaitingIndex.remove(r.requestId());
        if (read == null) {
            return null;
        }
        if (r.ok()) {
            stats.readsConfirmed++;
            awaitApply(read, r.index());
        } else {
            stats.readsFailed++;
        }
        return read;
    }

    private void awaitApply(Read read, long index) {
        SimNode server = cluster.node(read.server());
        if (!server.isUp()) {
            stats.readsFailed++;
            return;
        }
        long deadline = cluster.now() + (long) SERVE_TIMEOUT_TICKS * SimCluster.TICK;
        awaitingApply.add(new Pending(read, server.incarnation(), index, deadline));
    }

    /** After every step: serves the reads whose server has applied far enough, and gives up on hopeless ones. */
    void afterStep(InvariantChecker checker) {
        if (awaitingApply.isEmpty()) {
            return;
        }
        for (Iterator<Pending> it = awaitingApply.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            SimNode server = cluster.node(p.read().server());
            if (!server.isUp() || server.incarnation() != p.serverIncarnation() || cluster.now() > p.deadline()) {
                stats.readsFailed++; // the server restarted or lost touch: the client retries elsewhere
                it.remove();
            } else if (server.appliedIndex() >= p.index()
                    || cluster.defect() == RuntimeDefect.SERVES_READS_WITHOUT_WAITING) {
                checker.onReadServed(server, p.read(), server.appliedIndex(), server.digest());
                stats.readsServed++;
                stats.followerReads += p.read().kind() == Kind.FOLLOWER_READ ? 1 : 0;
                it.remove();
            }
        }
    }
}
