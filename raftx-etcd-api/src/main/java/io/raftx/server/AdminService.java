package io.raftx.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.BackupChunk;
import io.raftx.server.proto.BackupRequest;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;
import io.raftx.snapshot.BackupFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code raftx.v1.Admin} on the client address (see {@code admin.proto}): this node's view of the cluster, from the
 * status the event loop publishes after every batch, so it answers even without a leader or quorum; and online
 * backups, written to a temporary file in the data directory and streamed from it as gRPC flow control allows.
 */
final class AdminService extends AdminGrpc.AdminImplBase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminService.class);
    private static final int CHUNK_BYTES = 1 << 20;
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

    /** Writes an online backup to a file that does not exist yet. */
    @FunctionalInterface
    interface Backups {
        BackupFile write(Path target, Duration timeout) throws Exception;
    }

    private final RaftNode node;
    private final Backups backups;
    private final Path workDir;
    /** Handlers run on the transport's threads: the snapshot and the file copy must not block them. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raftx-backup");
        t.setDaemon(true);
        return t;
    });

    AdminService(RaftNode node, Backups backups, Path dataDir) {
        this.node = node;
        this.backups = backups;
        this.workDir = dataDir.resolve("backups-outgoing");
        // a backup cut off by a crash would otherwise stay there, as large as the state
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(workDir, "backup-*.tmp")) {
            leftovers.forEach(AdminService::deleteQuietly);
        } catch (IOException ignored) {
            // no such directory yet: nothing left over
        }
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        NodeStatus s = node.status();
        if (s == null) {
            out.onError(Status.UNAVAILABLE.withDescription("node " + node.id() + " is not started").asRuntimeException());
            return;
        }
        out.onNext(StatusResponse.newBuilder()
                .setNodeId(s.nodeId())
                .setRole(s.role().name())
                .setTerm(s.term())
                .setLeaderId(s.leaderId() == null ? "" : s.leaderId())
                .setCommitIndex(s.commitIndex())
                .setAppliedIndex(s.appliedIndex())
                .setLastIndex(s.lastIndex())
                .setLeaderSilenceThresholdMs(s.leaderSilenceThresholdMs())
                .build());
        out.onCompleted();
    }

    @Override
    public void backup(BackupRequest request, StreamObserver<BackupChunk> out) {
        ServerCallStreamObserver<BackupChunk> call = (ServerCallStreamObserver<BackupChunk>) out;
        Upload upload = new Upload(call);
        call.setOnReadyHandler(upload::pump);
        call.setOnCancelHandler(upload::finish);
        worker.execute(() -> {
            Path file = workDir.resolve("backup-" + System.nanoTime() + ".tmp");
            try {
                Files.createDirectories(workDir);
                BackupFile written = backups.write(file, SNAPSHOT_TIMEOUT);
                log.info("node {}: streaming {}", node.id(), written.describe());
                upload.ready(file);
            } catch (Exception e) {
                deleteQuietly(file);
                log.warn("node {}: backup failed: {}", node.id(), e.toString());
                call.onError(Status.FAILED_PRECONDITION.withDescription("node " + node.id() + " cannot back up: "
                        + e.getMessage()).asRuntimeException());
            }
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** Sends the backup file in chunks while the call is ready; deletes it when done or cancelled. */
    private static final class Upload {
        private final ServerCallStreamObserver<BackupChunk> call;
        private Path file;
        private FileChannel channel;
        private boolean finished;

        Upload(ServerCallStreamObserver<BackupChunk> call) {
            this.call = call;
        }

        synchronized void ready(Path written) throws IOException {
            file = written;
            if (finished) { // cancelled while the backup was written
                deleteQuietly(written);
                return;
            }
            channel = FileChannel.open(written, StandardOpenOption.READ);
            pump();
        }

        synchronized void pump() {
            if (channel == null || finished) {
                return;
            }
            try {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
                while (call.isReady() && !finished) {
                    buf.clear();
                    if (channel.read(buf) < 0) {
                        call.onCompleted();
                        finish();
                        return;
                    }
                    buf.flip();
                    call.onNext(BackupChunk.newBuilder().setData(ByteString.copyFrom(buf)).build());
                }
            } catch (IOException e) {
                call.onError(Status.INTERNAL.withDescription("reading the backup failed: " + e).asRuntimeException());
                finish();
            }
        }

        synchronized void finish() {
            finished = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // read-only; nothing to lose
            }
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover in backups-outgoing/ is harmless; the next start does not read it
        }
    }
}
