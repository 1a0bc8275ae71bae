package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class ClusterTokenRequiredFailureAnalyzer extends AbstractFailureAnalyzer<ClusterTokenRequiredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClusterTokenRequiredException cause) {
        return new FailureAnalysis(
                "RaftX cannot start: raftx.cluster-token is not set, and members listen beyond loopback ("
                        + String.join(", ", cause.getNonLoopbackAddresses()) + "). The built-in development token"
                        + " is public, so it is only accepted when every member is on 127.0.0.1 or ::1.",
                "Set the same secret on every member, at least 16 printable ASCII characters, for example"
                        + " 'raftx.cluster-token=${RAFTX_CLUSTER_TOKEN}' with the value from a secret store"
                        + " (generate one with 'openssl rand -hex 24').",
                cause);
    }
}
