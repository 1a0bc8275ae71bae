package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DuplicateMemberAddressFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateMemberAddressException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DuplicateMemberAddressException cause) {
        return new FailureAnalysis(
                "RaftX cannot start: members " + cause.getNodeIds() + " all have the peer address "
                        + cause.getAddress() + " in raftx.members.",
                "Give each member its own host:port in raftx.members (for example raftx.members.n1=127.0.0.1:7101,"
                        + " raftx.members.n2=127.0.0.1:7102), and use the same list on every node.",
                cause);
    }
}
