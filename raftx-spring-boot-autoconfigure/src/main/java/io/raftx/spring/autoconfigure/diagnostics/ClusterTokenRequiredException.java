package io.raftx.spring.autoconfigure.diagnostics;

import java.util.List;

/**
 * {@code raftx.cluster-token} is not set although some member is reachable beyond loopback, where the built-in
 * development token would let anyone who knows it talk to the cluster.
 */
public class ClusterTokenRequiredException extends RuntimeException {

    private final List<String> nonLoopbackAddresses;

    public ClusterTokenRequiredException(List<String> nonLoopbackAddresses) {
        super("raftx.cluster-token is required because members listen beyond loopback: " + nonLoopbackAddresses);
        this.nonLoopbackAddresses = List.copyOf(nonLoopbackAddresses);
    }

    public List<String> getNonLoopbackAddresses() {
        return nonLoopbackAddresses;
    }
}
