package io.raftx.server;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.BackupChunk;
import io.raftx.server.proto.BackupRequest;
import io.raftx.snapshot.BackupFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * {@code NodeMain backup --endpoint=HOST:PORT --out=FILE}: asks a running node (its client address) for an online
 * backup and writes it to {@code FILE} (temporary name, fsync, rename), then checks the file whole.
 */
final class BackupCommand {

    private BackupCommand() {
    }

    static BackupFile run(CommandArguments args) throws IOException {
        String endpoint = args.required("endpoint");
        Path out = Path.of(args.required("out")).toAbsolutePath().normalize();
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " already exists; choose a new file name (an existing backup is"
                    + " never overwritten)");
        }
        Path tmp = out.resolveSibling(".tmp-" + out.getFileName());
        ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext()
                .maxInboundMessageSize(8 << 20).build();
        try (FileChannel file = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Iterator<BackupChunk> chunks = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.MINUTES)
                    .backup(BackupRequest.getDefaultInstance());
            while (chunks.hasNext()) {
                file.write(chunks.next().getData().asReadOnlyByteBuffer());
            }
            file.force(true);
        } catch (StatusRuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException("the node at " + endpoint + " did not send a backup: "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            channel.shutdownNow();
        }
        try {
            BackupFile backup = BackupFile.verify(tmp, out.getParent());
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return backup;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
