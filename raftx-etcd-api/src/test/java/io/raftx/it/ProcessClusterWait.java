package io.raftx.it;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting helpers for process tests that look at nodes outside a {@link ProcessCluster}. */
final class ProcessClusterWait {

    private ProcessClusterWait() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The status of the node at {@code clientAddress}, or empty if it does not answer within a second. */
    static Optional<StatusResponse> status(String clientAddress) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(clientAddress).usePlaintext().build();
        try {
            return Optional.of(AdminGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        } finally {
            channel.shutdownNow();
        }
    }
}
