package io.raftx.sim;

import io.raftx.raft.Entry;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.ReadState;
import io.raftx.raft.Ready;
import java.util.List;

/**
 * Wires the nodes to their surroundings: delivers network messages to them, and routes their output to the network,
 * the client and the invariant checks.
 */
final class NodeHost implements SimNode.Host {

    private final SimCluster cluster;
    private final InvariantChecker checker;
    private Nemesis nemesis;

    NodeHost(SimCluster cluster, InvariantChecker checker) {
        this.cluster = cluster;
        this.checker = checker;
    }

    void setNemesis(Nemesis nemesis) {
        this.nemesis = nemesis;
    }

    /** A message arrives (with the snapshot data streamed beside it, if any). Returns false if it cannot land. */
    boolean deliver(Message m, Object attachment) {
        SimNode to = cluster.node(m.to());
        SimStats stats = cluster.stats();
        if (!to.isUp() || cluster.network().isBlocked(m)) {
            stats.messagesBlocked++;
            if (to.isUp()) {
                cluster.trace("blocked", m);
            }
            lost(m);
            return false;
        }
        stats.messagesDelivered++;
        cluster.trace("deliver", m);
        if (m.type() == MessageType.SNAPSHOT) {
            stats.snapshotsInstalled++;
            to.receiveSnapshot(m, (SimSnapshot) attachment);
            reportStream(m, true);
        } else {
            to.raft().step(m);
            to.processReadies();
        }
        return true;
    }

    /** A snapshot stream that fails is reported to its sender by the transport, a tick later. */
    void lost(Message m) {
        if (m.type() != MessageType.SNAPSHOT) {
            return;
        }
        cluster.stats().snapshotsLost++;
        reportStream(m, false);
    }

    /** The sender's transport learns, a tick later, whether the snapshot stream completed, and tells its core. */
    private void reportStream(Message m, boolean delivered) {
        SimNode from = cluster.node(m.from());
        int incarnation = from.incarnation();
        cluster.schedule(SimCluster.TICK, () -> {
            if (!from.isUp() || from.incarnation() != incarnation) {
                return false;
            }
            cluster.trace(delivered ? "snap-sent" : "snap-fail", m.from() + " told " + m.to()
                    + (delivered ? " got " : " did not get ") + m.snapshotMeta().index());
            if (delivered) {
                from.raft().snapshots().transferred(m.to());
            } else {
                from.raft().snapshots().transferFailed(m.to());
            }
            from.processReadies();
            return true;
        });
    }

    @Override
    public void send(SimNode from, Message m) {
        checker.onSend(from, m);
        SimSnapshot data = null;
        if (m.type() == MessageType.SNAPSHOT) {
            // The data streams beside the message; the leader sends the snapshot it stored.
            data = from.storage().snapshot();
            if (data == null || !data.meta().equals(m.snapshotMeta())) {
                throw cluster.violation("snapshot data available", from.id() + " sends " + m.snapshotMeta()
                        + " but stores " + data, null);
            }
        }
        cluster.network().send(m, data);
    }

    @Override
    public void beforePersist(SimNode node, Ready ready) {
        checker.beforePersist(node, ready);
    }

    @Override
    public void afterPersist(SimNode node, Ready ready) {
        if (ready.hardState() != null || !ready.entries().isEmpty()) {
            cluster.trace("persist", new Persisted(node.id(), ready));
        }
        checker.afterPersist(node, ready);
    }

    @Override
    public void snapshotTaken(SimNode node, SimSnapshot snapshot) {
        cluster.stats().snapshotsTaken++;
        cluster.trace("snapshot", node.id() + " at " + snapshot.index());
        checker.onSnapshot(node, snapshot);
    }

    @Override
    public void snapshotInstalled(SimNode node, SimSnapshot snapshot) {
        checker.onSnapshot(node, snapshot);
    }

    @Override
    public void applied(SimNode node, List<Entry> entries) {
        checker.onApply(node, entries);
    }

    @Override
    public void outcome(SimNode node, ProposalOutcome outcome) {
        checker.onOutcome(node, outcome);
        cluster.client().onOutcome(outcome);
    }

    @Override
    public void readState(SimNode node, ReadState read) {
        checker.onReadState(node, read, cluster.client().onReadState(read));
    }

    @Override
    public CrashPoint crashPoint(SimNode node, Ready ready) {
        return nemesis.crashPoint(node, ready);
    }

    @Override
    public void crashed(SimNode node, CrashPoint point) {
        cluster.stats().crashes++;
        cluster.stats().midReadyCrashes++;
        cluster.trace("crash", node.id() + " " + point);
        cluster.unreachableReports().crashed(node.id());
    }

    /** Trace entry for a persisted Ready, formatted only if a report is printed. */
    private record Persisted(String node, Ready ready) {
        @Override
        public String toString() {
            List<Entry> es = ready.entries();
            return node + (ready.snapshot() == null ? "" : " snapshot " + ready.snapshot().index() + "@"
                    + ready.snapshot().term()) + (ready.hardState() == null ? "" : " " + ready.hardState())
                    + (es.isEmpty() ? "" : " entries " + es.get(0).index() + ".." + es.get(es.size() - 1));
        }
    }
}
