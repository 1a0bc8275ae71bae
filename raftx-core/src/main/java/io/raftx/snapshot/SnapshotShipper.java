package io.raftx.snapshot;

import io.raftx.raft.Message;
import io.raftx.raft.Raft;
import io.raftx.raft.Role;
import io.raftx.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of snapshot installation, on the loop thread: when the core sends a SNAPSHOT message, streams
 * the snapshot's file to the follower through the transport (which resumes where an earlier attempt broke off), and
 * tells the core how it went: {@link io.raftx.raft.RaftSnapshots#transferred} on success;
 * {@link io.raftx.raft.RaftSnapshots#transferFailed} on failure, but only after {@code retryTicks}, since the core
 * retries at once and an unreachable follower would otherwise be offered the snapshot in a tight loop. One transfer per follower; a newer one replaces it.
 */
public final class SnapshotShipper {

    private static final Logger log = LoggerFactory.getLogger(SnapshotShipper.class);

    private final String nodeId;
    private final Raft raft;
    /** Null when the transport cannot stream snapshots: every transfer then fails (and is retried, and fails). */
    private final SnapshotStreaming transport;
    private final SnapshotStore store;
    private final int chunkBytes;
    private final int retryTicks;
    /** Runs a task on the loop thread (completions arrive on transport threads). */
    private final Consumer<Runnable> toLoop;
    private final Map<String, Transfer> transfers = new HashMap<>();
    private long ticks;
    private long sent;
    private long failed;

    private static final class Transfer {
        final SnapshotMeta meta;
        CompletableFuture<SnapshotSent> future;
        /** When the transfer failed: the tick at which to tell the core, so that it offers the snapshot again. */
        long reportFailureAt = -1;

        Transfer(SnapshotMeta meta) {
            this.meta = meta;
        }
    }

    public SnapshotShipper(String nodeId, Raft raft, SnapshotStreaming transport, SnapshotStore store, int chunkBytes,
                           int retryTicks, Consumer<Runnable> toLoop) {
        this.nodeId = nodeId;
        this.raft = raft;
        this.transport = transport;
        this.store = store;
        this.chunkBytes = chunkBytes;
        this.retryTicks = retryTicks;
        this.toLoop = toLoop;
    }

    public long sent() {
        return sent;
    }

    public long failed() {
        return failed;
    }

    /** The core sends its snapshot to {@code m.to()}: start streaming it. */
    public void ship(Message m) {
        String to = m.to();
        Transfer previous = transfers.remove(to);
        if (previous != null && previous.future != null) {
            previous.future.cancel(false);
        }
        Transfer t = new Transfer(m.snapshotMeta());
        transfers.put(to, t);
        StoredSnapshot snapshot;
        FileChannel file;
        try {
            if (store == null) {
                throw new IllegalStateException("snapshots are off on this node (no snapshot store)");
            }
            if (transport == null) {
                throw new IllegalStateException("the transport cannot stream snapshots (no SnapshotStreaming)");
            }
            snapshot = store.find(t.meta).orElseThrow(() -> new IllegalStateException("no file for snapshot "
                    + Snapshotter.describe(t.meta) + " in the snapshot store"));
            file = snapshot.openFile(); // opened now: a newer snapshot may delete the file while the transfer runs
        } catch (IOException | RuntimeException e) {
            log.error("node {}: cannot send snapshot {} to {}: {}", nodeId, Snapshotter.describe(t.meta), to,
                    e.toString());
            t.reportFailureAt = ticks + retryTicks;
            return;
        }
        log.info("node {}: sending snapshot {} ({} bytes) to {}", nodeId, Snapshotter.describe(t.meta),
                snapshot.size(), to);
        t.future = transport.sendSnapshot(new OutboundSnapshot(m, file, snapshot.size(), snapshot.crc32c(),
                chunkBytes));
        t.future.whenComplete((result, error) -> toLoop.accept(() -> finished(to, t, result, error)));
    }

    private void finished(String to, Transfer t, SnapshotSent result, Throwable error) {
        if (transfers.get(to) != t || t.future.isCancelled()) {
            return; // replaced by a newer transfer
        }
        if (error == null) {
            transfers.remove(to);
            sent++;
            log.info("node {}: snapshot {} delivered to {}: {} bytes sent from offset {} in {} ms ({} MB/s)", nodeId,
                    Snapshotter.describe(t.meta), to, result.bytesSent(), result.resumedFrom(),
                    result.nanos() / 1_000_000, String.format("%.1f", result.megabytesPerSecond()));
            raft.snapshots().transferred(to);
        } else {
            failed++;
            t.reportFailureAt = ticks + retryTicks;
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.warn("node {}: {}; offering it again in {} ticks", nodeId, cause.getMessage(), retryTicks);
        }
    }

    /** Each tick: report failures whose pause is over; stop everything once this node no longer leads. */
    public void onTick() {
        ticks++;
        if (raft.role() != Role.LEADER) {
            cancelAll();
            return;
        }
        Iterator<Map.Entry<String, Transfer>> it = transfers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Transfer> e = it.next();
            if (e.getValue().reportFailureAt >= 0 && ticks >= e.getValue().reportFailureAt) {
                it.remove();
                raft.snapshots().transferFailed(e.getKey());
            }
        }
    }

    public void cancelAll() {
        for (Transfer t : transfers.values()) {
            if (t.future != null) {
                t.future.cancel(false);
            }
        }
        transfers.clear();
    }
}
