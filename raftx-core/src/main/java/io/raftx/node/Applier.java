package io.raftx.node;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.statemachine.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed entries to the state machine, in order, at most once per request id. The table of recent
 * request ids is derived from the log alone, so it is identical on every replica; it holds the last
 * {@code dedupWindow} requests, which bounds how late a retry may arrive and still be recognised.
 */
final class Applier {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    private final StateMachine stateMachine;
    private final int dedupWindow;
    private RequestTable recent;
    private long appliedIndex;

    Applier(StateMachine stateMachine, int dedupWindow) {
        this.stateMachine = stateMachine;
        this.dedupWindow = dedupWindow;
        this.recent = new RequestTable(dedupWindow);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    /**
     * The table of recent request ids as it is now, to be written later (on another thread, for a snapshot written off
     * the loop): copies the table's arrays (outcomes are immutable; 100,000 of them by default) instead of encoding
     * several MB here. The table is replicated state like the state machine's (derived from the log alone),
     * so it travels in snapshots: a node restored from a snapshot still recognises a late retry. Layout: count:i32,
     * then per request (oldest first) client:i64 sequence:i64 index:i64 result length:i32 result.
     */
    TableSnapshot captureSnapshot() {
        RequestTable.Contents table = recent.copy();
        return out -> {
            out.writeInt(table.clients().length);
            for (int i = 0; i < table.clients().length; i++) {
                out.writeLong(table.clients()[i]);
                out.writeLong(table.sequences()[i]);
                out.writeLong(table.indexes()[i]);
                out.writeInt(table.results()[i].length);
                out.write(table.results()[i]);
            }
        };
    }

    /** A captured request-id table. */
    @FunctionalInterface
    interface TableSnapshot {

        void writeTo(DataOutputStream out) throws IOException;
    }

    /** Replaces the request-id table with a snapshot's; everything up to {@code index} now counts as applied. */
    void restoreSnapshot(DataInputStream in, long index) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt snapshot: negative request-id count " + count);
        }
        RequestTable restored = new RequestTable(dedupWindow);
        for (int i = 0; i < count; i++) {
            Command.RequestId id = new Command.RequestId(in.readLong(), in.readLong());
            long at = in.readLong();
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("corrupt snapshot: negative result length " + length);
            }
            byte[] result = in.readNBytes(length);
            if (result.length != length) {
                throw new EOFException("snapshot ended inside the request-id table");
            }
            if (restored.get(id) != null) {
                throw new IOException("corrupt snapshot: request id " + id + " appears twice in the request-id table");
            }
            restored.add(id, new Applied(at, result));
        }
        recent = restored;
        appliedIndex = index;
    }

    /** Applies the entries and returns each one's result by index (barriers and no-ops give empty results). */
    Map<Long, Applied> apply(Iterable<Entry> entries) {
        Map<Long, Applied> results = new HashMap<>();
        for (Entry e : entries) {
            if (e.index() != appliedIndex + 1) {
                throw new IllegalStateException("apply out of order: got " + e.index() + " after " + appliedIndex);
            }
            appliedIndex = e.index();
            results.put(e.index(), applyOne(e));
        }
        return results;
    }

    private Applied applyOne(Entry e) {
        if (e.type() == EntryType.CONFIG) {
            return new Applied(e.index(), e.data()); // the new membership: what a membership change answers with
        }
        if (e.type() != EntryType.NORMAL) {
            return new Applied(e.index(), new byte[0]);
        }
        Command cmd;
        try {
            cmd = Command.decode(e.data());
        } catch (IllegalArgumentException ex) {
            // Committed on every replica already: skipping it the same way everywhere keeps replicas identical.
            log.error("skipping undecodable entry {}: {}", e.index(), ex.getMessage());
            return new Applied(e.index(), new byte[0]);
        }
        if (cmd.kind().isRead()) {
            return new Applied(e.index(), new byte[0]); // reads are never logged; tolerate one defensively
        }
        Applied earlier = recent.get(cmd.requestId());
        if (earlier != null) {
            return earlier; // a retry of a request that is already applied: answer with the first result
        }
        Applied applied = new Applied(e.index(), stateMachine.apply(e.index(), cmd.payload()));
        recent.add(cmd.requestId(), applied);
        return applied;
    }
}
