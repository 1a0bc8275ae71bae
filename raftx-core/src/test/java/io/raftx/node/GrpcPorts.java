package io.raftx.node;

/** Free loopback ports for tests that run real gRPC servers. */
public final class GrpcPorts {

    private GrpcPorts() {
    }

    public static int free() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
