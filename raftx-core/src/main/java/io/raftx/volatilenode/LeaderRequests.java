package io.raftx.volatilenode;

import io.raftx.volatilenode.wire.ForwardedReply;
import io.raftx.volatilenode.wire.ForwardedRequest;
import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileReplica;
import io.raftx.volatiles.WriteOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Requests this node's volatile core accepted while leading, by the core's request id: from clients of this node
 * or forwarded by followers. The core reports every accepted request exactly once (committed, condition failed,
 * unknown, read served or failed), so entries never linger. Loop thread only.
 */
final class LeaderRequests {

    private sealed interface Target permits Local, Remote {
    }

    private record Local(ClientRequest request) implements Target {
    }

    private record Remote(String from, long attemptId) implements Target {
    }

    private final Map<Long, Target> byCoreId = new HashMap<>();
    private final BiConsumer<String, ForwardedReply> reply;
    private long nextCoreId = 1;

    /** {@code reply} sends a reply to a follower. */
    LeaderRequests(BiConsumer<String, ForwardedReply> reply) {
        this.reply = reply;
    }

    /** Hands a request of this node's own client to the core; a refusal comes back as is (nothing was tracked). */
    Admission submitLocal(VolatileReplica core, ClientRequest r) {
        long id = nextCoreId++;
        Admission a = r.isWrite() ? core.propose(id, r.op) : core.readStrong(id, r.readKey);
        if (a.accepted()) {
            byCoreId.put(id, new Local(r));
        }
        return a;
    }

    /** Hands a follower's request to the core, or answers with the refusal (and whom this node thinks leads). */
    void submitRemote(VolatileReplica core, String from, ForwardedRequest fr, String raftLeader) {
        if (core == null) {
            reply.accept(from, ForwardedReply.refused(fr.attemptId(), Admission.Refusal.NOT_LEADER, raftLeader));
            return;
        }
        long id = nextCoreId++;
        Admission a = fr.isWrite() ? core.propose(id, fr.op()) : core.readStrong(id, fr.readKey());
        if (a.accepted()) {
            byCoreId.put(id, new Remote(from, fr.attemptId()));
        } else {
            reply.accept(from, ForwardedReply.refused(fr.attemptId(), a.refusal(), a.leaderHint()));
        }
    }

    void onWriteOutcome(WriteOutcome o, OriginRequests origin) {
        Target t = byCoreId.remove(o.requestId());
        if (t instanceof Local local) {
            origin.onWriteOutcome(local.request(), o.status(), o.index(), o.epoch());
        } else if (t instanceof Remote remote) {
            reply.accept(remote.from(), ForwardedReply.written(remote.attemptId(), o));
        }
    }

    void onReadResult(ReadResult r, OriginRequests origin) {
        Target t = byCoreId.remove(r.requestId());
        if (t instanceof Local local) {
            origin.onReadResult(local.request(), r.status(), r.value());
        } else if (t instanceof Remote remote) {
            reply.accept(remote.from(), ForwardedReply.read(remote.attemptId(), r));
        }
    }

    int size() {
        return byCoreId.size();
    }

    /** The node stops: local requests are failed by their origin; followers time out on their own. */
    void clear() {
        byCoreId.clear();
    }
}
