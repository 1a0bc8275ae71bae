package io.raftx.node;

/** Free loopback ports for tests that run real gRPC servers. */
public final class GrpcPorts {

    private GrpcPorts() {
    }

    public static int free() {
        return GrpcTestCluster.freePort();
    }
}
