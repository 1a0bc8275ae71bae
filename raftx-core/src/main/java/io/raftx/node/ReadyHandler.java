package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.Raft;
import io.raftx.raft.Ready;
import io.raftx.snapshot.SnapshotShipper;
import io.raftx.snapshot.Snapshotter;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.Transport;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out the core's Readys on the loop thread in the order {@link Ready} prescribes: a received snapshot is
 * installed before the entries that follow it, the leader's appends leave at once (its own write runs in parallel),
 * new entries and hard state are persisted with one commit + fsync (group commit) before the other messages leave
 * (they promise what was persisted), then committed entries are applied and the waiting callers completed.
 */
final class ReadyHandler {

    private final Raft raft;
    private final RaftStorage storage;
    private final Transport transport;
    private final Snapshotter snapshotter;
    private final SnapshotShipper shipper;
    private final Applier applier;
    private final ProposalWaiters proposals;
    private final ReadWaiters reads;
    /** Holds a read whose confirmation came without a usable index, to be routed again. */
    private final Consumer<Request> park;
    private final LoopPassTimer timer;

    ReadyHandler(Raft raft, RaftStorage storage, Transport transport, Snapshotter snapshotter, SnapshotShipper shipper,
                 Applier applier, ProposalWaiters proposals, ReadWaiters reads, Consumer<Request> park,
                 LoopPassTimer timer) {
        this.raft = raft;
        this.storage = storage;
        this.transport = transport;
        this.snapshotter = snapshotter;
        this.shipper = shipper;
        this.applier = applier;
        this.proposals = proposals;
        this.reads = reads;
        this.park = park;
        this.timer = timer;
    }

    /**
     * Handles the core's Readies until none is left, or until one applied a full chunk of committed entries (a
     * restarted node catching up on its log): then returns true, and the loop should take its inputs (heartbeats,
     * votes, appends to acknowledge) before the next chunk. Storage failures propagate and stop the loop.
     */
    boolean drain() {
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            if (rd.snapshot() != null) {
                snapshotter.install(rd.snapshot());
            }
            rd.eagerMessages().forEach(this::send);
            timer.mark(LoopPassTimer.Phase.OTHER);
            if (rd.mustSync()) {
                storage.persist(rd.hardState(), rd.entries());
            } else if (rd.hardState() != null) {
                storage.stageCommitIndex(rd.hardState()); // durable with the next group commit; no fsync of its own
            }
            timer.mark(LoopPassTimer.Phase.PERSIST);
            rd.messages().forEach(this::send);
            Map<Long, Applied> results = applier.apply(rd.committedEntries());
            proposals.complete(rd.outcomes(), results);
            reads.confirmed(rd.readStates(), park);
            raft.advance(rd);
            reads.applied(applier.appliedIndex());
            timer.mark(LoopPassTimer.Phase.APPLY);
            if (rd.appliesFullChunk() && raft.hasReady()) {
                return true;
            }
        }
        return false;
    }

    private void send(Message m) {
        if (m.type().isVoteResponse()) {
            VoteLog.answered(m);
        }
        if (m.type() == MessageType.SNAPSHOT) {
            shipper.ship(m); // the data streams beside the message
        } else {
            transport.send(m);
        }
    }
}
