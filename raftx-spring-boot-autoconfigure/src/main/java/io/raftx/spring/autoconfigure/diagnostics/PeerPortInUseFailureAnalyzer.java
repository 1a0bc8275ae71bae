package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class PeerPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PeerPortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PeerPortInUseException cause) {
        return new FailureAnalysis(
                "RaftX cannot start: the peer port " + cause.getPort() + " on " + cause.getHost()
                        + " is already in use.",
                "Stop the process listening on port " + cause.getPort() + " (often another node of the same cluster"
                        + " started with the wrong raftx.node-id), or give this node another port in raftx.address"
                        + " and in its raftx.members entry on every node.",
                cause);
    }
}
