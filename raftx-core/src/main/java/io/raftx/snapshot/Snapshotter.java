package io.raftx.snapshot;

import io.raftx.raft.Raft;
import io.raftx.raft.SnapshotMeta;
import io.raftx.storage.RaftStorage;
import io.raftx.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's snapshots, driven from the loop thread: takes them (automatically by log size, or on request), installs
 * the ones a leader sent, and restores the state machine from the current one at start-up. Only the writing of a
 * captured snapshot's file runs elsewhere, on the node's snapshot thread.
 *
 * <p><b>Taking a snapshot</b> automatically (the log grew past the threshold): if the payload can capture the state
 * cheaply ({@link SnapshotPayload#capture}, e.g. {@link io.raftx.kv.KvStateMachine} copies its maps of references),
 * the capture is taken on the loop and the file is written by a thread of its own while the node goes on (a few MB of
 * snapshot took 250-660 ms on the loop, long enough to make a leader miss its heartbeats); otherwise, and when asked
 * for one ({@link #take}), the file is written on the loop. Either way the order makes a crash at any point safe:
 * <ol>
 *   <li>the file is written to a temporary name, fsynced, renamed and the directory fsynced;</li>
 *   <li>on the loop, the core records the snapshot's metadata ({@link Raft#snapshotTaken}) — unless it installed a
 *       newer one from the leader meanwhile, and then the file is deleted;</li>
 *   <li>the log storage records the snapshot and the log's new start in one commit
 *       ({@link RaftStorage#snapshotTaken}; the entries before the start may be deleted later) — only now does a
 *       restart start from the new snapshot;</li>
 *   <li>the core compacts its log (the entries still in its memory and the terms it keeps); older snapshot files
 *       are deleted.</li>
 * </ol>
 * A crash before 3 restarts from the previous snapshot and the untouched log (a file written in 1 is deleted as
 * unrecorded); after 3, from the new one. A disk failure in 1 or 3 stops the node, like any storage failure. The log
 * is compacted only in 4, so the entries a snapshot being written covers stay in the log until it is recorded.
 *
 * <p><b>Installing</b> a leader's snapshot (when the core's Ready asks for it), with the file already received,
 * checked and fsynced in the staging directory:
 * <ol>
 *   <li>the file is moved into the snapshot store (rename, directory fsync);</li>
 *   <li>the state machine and the request-id table are restored from it;</li>
 *   <li>the log storage records the snapshot and resets the log to start after it, in one commit
 *       ({@link RaftStorage#snapshotInstalled}); older snapshot files are deleted.</li>
 * </ol>
 * A crash before 3 restarts from the previous snapshot and log, which are untouched (the new file, unrecorded, is
 * deleted); after 3, from the new snapshot.
 *
 * <p>What the files hold (the node's state) is the {@link SnapshotPayload}'s business.
 */
public final class Snapshotter {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

    private final String nodeId;
    private final SnapshotStore store;
    private final RaftStorage storage;
    private final SnapshotPayload payload;
    private final SnapshotPolicy policy;
    /** Snapshots received from a leader in this loop iteration ({@code SnapshotStaging}), waiting for the core. */
    private final List<StoredSnapshot> received = new ArrayList<>();
    /** Runs a task on the loop thread (dropped once the node stops). */
    private final Executor loop;
    /** Writes captured snapshots; created with the first one. */
    private ExecutorService writer;
    /** The snapshot being written off the loop, or null. */
    private Writing writing;
    private long taken;
    private long installed;

    /**
     * {@code store} null: snapshots are off (nothing is taken, nothing can be installed). {@code loop} runs a task on
     * the loop thread: a snapshot written off the loop is recorded there.
     */
    public Snapshotter(String nodeId, SnapshotStore store, RaftStorage storage, SnapshotPayload payload,
                       SnapshotSettings settings, Executor loop) {
        this.nodeId = nodeId;
        this.store = store;
        this.storage = storage;
        this.payload = payload;
        this.policy = new SnapshotPolicy(SnapshotPolicy.staggered(settings.threshold(), nodeId),
                settings.retainEntries());
        this.loop = loop;
    }

    /** A snapshot file being written off the loop. */
    private record Writing(SnapshotMeta meta, long startedNanos, long captureNanos,
                           CompletableFuture<StoredSnapshot> file) {
    }

    public long taken() {
        return taken;
    }

    public long installed() {
        return installed;
    }

    public long threshold() {
        return policy.threshold();
    }

    /** Start-up: restores the state machine from the snapshot the log storage recorded. */
    public void restoreAtStart(SnapshotMeta meta) {
        if (store == null) {
            throw new StorageException("the log storage of node " + nodeId + " records snapshot " + describe(meta)
                    + " but the node was started without a snapshot store; start it with the same data directory "
                    + "layout it was running with");
        }
        StoredSnapshot snapshot = store.find(meta).orElseThrow(() -> new StorageException("the log storage of node "
                + nodeId + " records snapshot " + describe(meta) + " but the snapshot store has no file for it; the "
                + "data directory is incomplete. Restore it from a backup, or remove it and re-add the node."));
        restore(snapshot);
        store.retainOnly(meta); // a file written just before a crash, never recorded, is of no use
        log.info("node {}: state restored from snapshot {} ({} bytes)", nodeId, describe(meta), snapshot.size());
    }

    /** After each round of Readies: snapshots if the log grew past the threshold; drops unclaimed transfers. */
    public void afterReady(Raft raft) {
        discardUnclaimed();
        if (writing == null && store != null && policy.due(logEntries(raft))
                && raft.appliedIndex() > latestIndex(raft)) {
            long started = System.nanoTime();
            Optional<SnapshotContent> captured = payload.capture();
            if (captured.isPresent()) {
                startWriting(raft, captured.get(), started);
            } else {
                take(raft);
            }
        }
    }

    private void startWriting(Raft raft, SnapshotContent content, long started) {
        SnapshotMeta meta = raft.snapshots().meta(raft.appliedIndex());
        Writing w = new Writing(meta, started, System.nanoTime() - started, new CompletableFuture<>());
        writing = w;
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "raftx-snapshot-" + nodeId);
                t.setDaemon(true);
                return t;
            });
        }
        writer.execute(() -> {
            try {
                w.file().complete(store.save(meta, content));
            } catch (RuntimeException | Error e) {
                w.file().completeExceptionally(e);
            }
            loop.execute(() -> finishWriting(raft, w));
        });
    }

    /** On the loop, once the file of {@code w} is written (or failed): records it, unless a newer one came first. */
    private void finishWriting(Raft raft, Writing w) {
        if (writing != w) {
            return; // already finished by take()
        }
        writing = null;
        if (latestIndex(raft) >= w.meta().index()) {
            // A leader's snapshot was installed meanwhile: ours is older than the state now. Keep only the newest.
            store.retainOnly(raft.latestSnapshot());
            return;
        }
        StoredSnapshot file;
        try {
            file = w.file().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e; // a disk failure stops the node
        }
        SnapshotMeta meta = raft.snapshots().taken(w.meta().index());
        record(raft, meta, file, w.startedNanos(), "written off the loop, " + w.captureNanos() / 1_000
                + " µs on it to capture");
    }

    /**
     * Snapshots the state machine at the applied index and compacts the log behind it. Returns the latest snapshot
     * unchanged if nothing was applied since.
     */
    public SnapshotMeta take(Raft raft) {
        if (store == null) {
            throw new IllegalStateException("node " + nodeId + " has no snapshot store; snapshots are off");
        }
        finishPendingWrite(raft);
        long index = raft.appliedIndex();
        if (index <= latestIndex(raft)) {
            if (raft.latestSnapshot() == null) {
                throw new IllegalStateException("node " + nodeId + " has applied nothing yet; there is nothing to "
                        + "snapshot");
            }
            return raft.latestSnapshot();
        }
        long started = System.nanoTime();
        SnapshotMeta meta = raft.snapshots().meta(index);
        StoredSnapshot file = store.save(meta, payload::write);
        record(raft, raft.snapshots().taken(index), file, started, "written on the loop");
        return meta;
    }

    /** Finishes a snapshot whose file is written: steps 2-4 of the class comment. */
    private void record(Raft raft, SnapshotMeta meta, StoredSnapshot file, long startedNanos, String how) {
        long compactTo = policy.compactTo(meta.index());
        long compacting = System.nanoTime();
        storage.snapshotTaken(meta, compactTo);
        raft.snapshots().compactLog(compactTo);
        store.retainOnly(meta);
        // Entries applied after the snapshot's capture (appended while its file was written off the loop) are the
        // next snapshot's to compact: counting them as "left" would raise the threshold until the log grew by half
        // again, leaving it long for no reason.
        policy.compacted(logEntries(raft) - (raft.appliedIndex() - meta.index()));
        taken++;
        long now = System.nanoTime();
        log.info("node {}: snapshot {} taken ({} bytes, {} ms, {}); log compacted to {} in {} ms on the loop, {} "
                        + "entries left, next snapshot above {} entries", nodeId, describe(meta), file.size(),
                (now - startedNanos) / 1_000_000, how, compactTo, (now - compacting) / 1_000_000, logEntries(raft),
                policy.threshold());
    }

    /** Waits for a snapshot being written off the loop to finish and records it (on the loop thread). */
    private void finishPendingWrite(Raft raft) {
        Writing w = writing;
        if (w != null) {
            w.file().handle((f, e) -> null).join();
            finishWriting(raft, w);
        }
    }

    /** Stops the writer thread; a file it was writing stays a temporary file, deleted at the next start. */
    public void close() {
        if (writer != null) {
            writer.shutdownNow();
            try {
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A leader's snapshot arrived (in this loop iteration); the core may ask for it in the next Ready. */
    public void received(StoredSnapshot snapshot) {
        received.add(snapshot);
    }

    /** The core's Ready asks to install {@code meta}: restore from the received file and reset the stored log. */
    public void install(SnapshotMeta meta) {
        StoredSnapshot file = null;
        for (StoredSnapshot s : received) {
            if (s.meta().index() == meta.index() && s.meta().term() == meta.term()) {
                file = s;
            }
        }
        if (file == null || store == null) {
            // Only SnapshotStaging delivers SNAPSHOT messages that need data, and always with the file.
            throw new IllegalStateException("node " + nodeId + ": the core installs snapshot " + describe(meta)
                    + " but no data for it was received");
        }
        received.remove(file);
        long started = System.nanoTime();
        StoredSnapshot stored = store.install(file);
        restore(stored);
        storage.snapshotInstalled(meta);
        store.retainOnly(meta);
        policy.compacted(0);
        installed++;
        log.info("node {}: installed snapshot {} from the leader ({} bytes, restored in {} ms)", nodeId,
                describe(meta), stored.size(), (System.nanoTime() - started) / 1_000_000);
    }

    private void discardUnclaimed() {
        for (StoredSnapshot s : received) {
            try {
                Files.deleteIfExists(s.file()); // the core did not want it (stale, or already covered)
            } catch (IOException ignored) {
                // deleted at the next start
            }
        }
        received.clear();
    }

    private void restore(StoredSnapshot snapshot) {
        try (InputStream in = snapshot.openPayload()) {
            payload.restore(in, snapshot.meta().index());
        } catch (IOException | RuntimeException e) {
            throw new StorageException("node " + nodeId + ": restoring the state machine from snapshot file "
                    + snapshot.file() + " failed: " + e + ". The file passed its checksum, so the state machine cannot "
                    + "read what it wrote (a version mismatch?).", e);
        }
    }

    private static long logEntries(Raft raft) {
        return raft.lastIndex() - raft.firstIndex() + 1;
    }

    private static long latestIndex(Raft raft) {
        SnapshotMeta latest = raft.latestSnapshot();
        return latest == null ? 0 : latest.index();
    }

    static String describe(SnapshotMeta meta) {
        return meta.index() + "@" + meta.term();
    }
}
